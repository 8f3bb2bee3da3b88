package org.medsettle.api.policy;

/** The fund a further layer pays into. */
public enum LayerFund {
    /** 大病保险, {@code hifmi_pay}, fund type {@code 390200}. */
    HIFMI("hifmi", "390200", "城乡居民大病保险"),
    /** 职工大额医疗费用补助, {@code hifob_pay}, fund type {@code 330100}. */
    HIFOB("hifob", "330100", "职工大额医疗费用补助");

    private final String key;
    private final String fundPayType;
    private final String fundPayTypeName;

    LayerFund(String key, String fundPayType, String fundPayTypeName) {
        this.key = key;
        this.fundPayType = fundPayType;
        this.fundPayTypeName = fundPayTypeName;
    }

    /** The name in the policy file: {@code hifmi} or {@code hifob}. */
    public String key() {
        return key;
    }

    public String fundPayType() {
        return fundPayType;
    }

    public String fundPayTypeName() {
        return fundPayTypeName;
    }

    public static LayerFund ofKey(String key) {
        for (LayerFund f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("fund must be hifmi or hifob: '" + key + "'");
    }
}
