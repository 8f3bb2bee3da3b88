package org.medsettle.api.model;

/** Medical type ({@code med_type}). */
public enum MedicalType {
    /** 普通门诊, {@code 11}. */
    GENERAL_OUTPATIENT("11"),
    /** 急诊, {@code 13}. */
    EMERGENCY_OUTPATIENT("13"),
    /** 门诊慢特病, {@code 14}. */
    CHRONIC_OUTPATIENT("14"),
    /** 住院, {@code 21}. */
    INPATIENT("21");

    private final String code;

    MedicalType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static MedicalType ofCode(String code) {
        for (MedicalType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("med_type must be 11, 13, 14 or 21: '" + code + "'");
    }
}
