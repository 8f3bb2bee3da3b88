package org.medsettle.api.model;

/** Person type ({@code psn_type}): decides in-service or retired benefits for employees. */
public enum PersonType {
    /** 在职职工, {@code 1101}. */
    EMPLOYEE_IN_SERVICE("1101"),
    /** 退休职工, {@code 1102}. */
    EMPLOYEE_RETIRED("1102"),
    /** 城乡居民, {@code 1501}. */
    RESIDENT("1501");

    private final String code;

    PersonType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static PersonType ofCode(String code) {
        for (PersonType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("psn_type must be 1101, 1102 or 1501: '" + code + "'");
    }
}
