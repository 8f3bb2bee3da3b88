package org.medsettle.api.model;

/** Insurance type ({@code insutype}). */
public enum InsuranceType {
    /** 城镇职工基本医疗保险, {@code 310}. */
    EMPLOYEE("310"),
    /** 城乡居民基本医疗保险, {@code 390}. */
    RESIDENT("390");

    private final String code;

    InsuranceType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static InsuranceType ofCode(String code) {
        for (InsuranceType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("insutype must be 310 or 390: '" + code + "'");
    }
}
