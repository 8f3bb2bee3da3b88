package org.medsettle.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact amount of money in yuan, held as whole fen (分). Never a {@code double}.
 *
 * <p>Amounts on the national interface are decimal yuan with at most two places; {@link #ofYuan(String)}
 * refuses anything finer instead of rounding it silently. Products with a ratio are rounded half-up to
 * the fen, as settlement-rules.md requires, by {@link #times(BigDecimal)}.
 */
public record Money(long fen) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);

    private static final BigDecimal FEN_PER_YUAN = BigDecimal.valueOf(100);

    /** Decimal yuan as written: an optional minus, digits, an optional point with digits after it. */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("-?\\d{1,20}(\\.\\d{1,20})?");

    public static Money ofFen(long fen) {
        return fen == 0 ? ZERO : new Money(fen);
    }

    /**
     * Parses decimal yuan as people write them, such as {@code "123.45"}, {@code "-3"} or {@code "0.5"}: digits,
     * an optional minus sign and decimal point — no exponent ({@code "1e3"}), plus sign, grouping or other notation a
     * typed or imported amount has no business carrying.
     *
     * @throws IllegalArgumentException if the text is not such a number or has more than two decimal places
     */
    public static Money ofYuan(String yuan) {
        Objects.requireNonNull(yuan, "yuan");
        String text = yuan.trim();
        if (!PLAIN.matcher(text).matches()) {
            throw new IllegalArgumentException("not an amount: '" + yuan + "' (plain decimal yuan, e.g. 123.45)");
        }
        return ofYuan(new BigDecimal(text));
    }

    /**
     * Converts decimal yuan exactly.
     *
     * @throws IllegalArgumentException if the value has more than two decimal places or does not fit
     */
    public static Money ofYuan(BigDecimal yuan) {
        Objects.requireNonNull(yuan, "yuan");
        BigDecimal stripped = yuan.stripTrailingZeros();
        if (stripped.scale() > 2) {
            throw new IllegalArgumentException("more than two decimal places (finer than a fen): " + Decimals.shown(yuan));
        }
        try {
            return ofFen(yuan.movePointRight(2).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount out of range: " + Decimals.shown(yuan));
        }
    }

    /** The amount as yuan with scale 2, e.g. {@code 12.30}. */
    public BigDecimal toYuan() {
        return BigDecimal.valueOf(fen, 2);
    }

    public Money plus(Money other) {
        return ofFen(Math.addExact(fen, other.fen));
    }

    public Money minus(Money other) {
        return ofFen(Math.subtractExact(fen, other.fen));
    }

    public Money negate() {
        return ofFen(Math.negateExact(fen));
    }

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L};

    /** {@code this × ratio}, rounded half-up to the fen (away from zero on a tie, for negative amounts too). */
    public Money times(BigDecimal ratio) {
        int scale = ratio.scale();
        if (scale >= 0 && scale < POWERS_OF_TEN.length && ratio.precision() <= 18) {
            // Exact in longs: fen × unscaled, then divide by 10^scale rounding half away from zero.
            long unscaled = ratio.unscaledValue().longValue();
            long high = Math.multiplyHigh(fen, unscaled);
            long product = fen * unscaled;
            if ((high == 0 && product >= 0) || (high == -1 && product < 0)) {
                long divisor = POWERS_OF_TEN[scale];
                long quotient = product / divisor;
                long remainder = Math.abs(product % divisor);
                if (remainder * 2 >= divisor) {
                    quotient += product < 0 ? -1 : 1;
                }
                return ofFen(quotient);
            }
        }
        BigDecimal product = BigDecimal.valueOf(fen).multiply(ratio).setScale(0, RoundingMode.HALF_UP);
        try {
            return ofFen(product.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount out of range: " + toYuan() + " × " + Decimals.shown(ratio));
        }
    }

    public Money min(Money other) {
        return fen <= other.fen ? this : other;
    }

    public Money max(Money other) {
        return fen >= other.fen ? this : other;
    }

    public boolean isZero() {
        return fen == 0;
    }

    public boolean isNegative() {
        return fen < 0;
    }

    public boolean isPositive() {
        return fen > 0;
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(fen, other.fen);
    }

    /** Decimal yuan with two places, as the national interface writes amounts: {@code 1234.50}. */
    @Override
    public String toString() {
        return toYuan().toPlainString();
    }
}
