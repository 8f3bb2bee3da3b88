package org.medsettle.api.clearing;

/**
 * What a clearing line is about: a settlement, or its undoing. A settlement has at most one of each, so the
 * treatment province, the settlement's {@code setl_id} and the movement name a line on both sides.
 */
public enum Movement {
    /** The settlement: its fund payments, a claim of the treatment province on the insured province. */
    SETTLED("+"),
    /** Its reversal (2305/2208) or correction (2601): the same amounts taken back. */
    UNDONE("-");

    private final String sign;

    Movement(String sign) {
        this.sign = sign;
    }

    /** {@code +} or {@code -}, as stored and sent. */
    public String sign() {
        return sign;
    }

    public static Movement ofSign(String sign) {
        for (Movement m : values()) {
            if (m.sign.equals(sign)) {
                return m;
            }
        }
        throw new IllegalArgumentException("not a movement: '" + sign + "' (+ or -)");
    }
}
