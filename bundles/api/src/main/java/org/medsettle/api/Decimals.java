package org.medsettle.api;

import java.math.BigDecimal;

/**
 * Decimals that come from outside — a HIS field, a link message, a policy file — as text for a message or a check.
 * {@link BigDecimal#toPlainString()} writes a number out digit by digit: {@code 1e99999999}, twelve characters of
 * JSON, becomes a hundred million characters (half a second and 200 MB of heap; {@code 1e999999999} more than a
 * node's heap). Nothing written from such a number may use it.
 */
public final class Decimals {

    /** The most digits a plain rendering is allowed: more than any amount, price, quantity or ratio has. */
    static final int MAX_PLAIN_DIGITS = 40;

    private Decimals() {
    }

    /**
     * {@code n} in plain digits ({@code 1000}, {@code 0.0001}) when that is at most {@value #MAX_PLAIN_DIGITS} digits
     * long, else in scientific notation ({@code 1E+99999999}), which no plain-number check takes.
     */
    public static String shown(BigDecimal n) {
        long integerDigits = (long) n.precision() - n.scale();
        long plainDigits = Math.max(integerDigits, 1) + Math.max(n.scale(), 0);
        return plainDigits <= MAX_PLAIN_DIGITS ? n.toPlainString() : n.toString();
    }
}
