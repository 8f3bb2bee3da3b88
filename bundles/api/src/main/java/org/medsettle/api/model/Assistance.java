package org.medsettle.api.model;

/** Medical-assistance category of a person (医疗救助). */
public enum Assistance {
    NONE(""),
    /** 特困人员, {@code A}. */
    EXTREME_POVERTY("A"),
    /** 低保对象, {@code B}. */
    MINIMUM_LIVING("B");

    private final String code;

    Assistance(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Assistance ofCode(String code) {
        String c = code == null ? "" : code.trim();
        for (Assistance a : values()) {
            if (a.code.equals(c)) {
                return a;
            }
        }
        throw new IllegalArgumentException("assistance must be A, B or empty: '" + code + "'");
    }
}
