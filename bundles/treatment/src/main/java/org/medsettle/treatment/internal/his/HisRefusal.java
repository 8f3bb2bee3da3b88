package org.medsettle.treatment.internal.his;

/**
 * A request refused: {@code infcode} -2 (understood and refused; nothing changed) or -1 (the outcome is uncertain;
 * the HIS corrects with 2601 or repeats the msgid). The message names the field and is meant for a clerk.
 */
final class HisRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String BUSINESS = "-2";
    static final String SYSTEM = "-1";

    private final String infcode;

    HisRefusal(String infcode, String message) {
        super(message, null, false, false);
        this.infcode = infcode;
    }

    static HisRefusal business(String message) {
        return new HisRefusal(BUSINESS, message);
    }

    static HisRefusal field(String path, String problem) {
        return new HisRefusal(BUSINESS, path + ": " + problem);
    }

    static HisRefusal uncertain(String message) {
        return new HisRefusal(SYSTEM, message);
    }

    String infcode() {
        return infcode;
    }
}
