package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void parsesYuanExactlyIntoFen() {
        assertEquals(12345, Money.ofYuan("123.45").fen());
        assertEquals(50, Money.ofYuan("0.5").fen());
        assertEquals(-300, Money.ofYuan("-3").fen());
        assertEquals(100, Money.ofYuan("1.000").fen());
    }

    @Test
    void refusesAmountsFinerThanAFenInsteadOfRounding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Money.ofYuan("1.005"));
        assertTrue(e.getMessage().contains("1.005"), e.getMessage());
    }

    @Test
    void refusesTextThatIsNotANumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Money.ofYuan("12,30"));
        assertTrue(e.getMessage().contains("12,30"));
    }

    @Test
    void refusesAmountsOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Money.ofYuan("99999999999999999999"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void refusesAnExponentAPlusSignAndOtherNotationsAPersonDoesNotTypeForAnAmount() {
        // BigDecimal would read each of these; "1e3" typed for a prepayment became 1,000 yuan
        for (String odd : new String[] {"1e3", "1E+3", "+5", ".5", "5.", "1_000", "0x10", "١٢", "5 0", "NaN", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Money.ofYuan(odd), odd);
            assertTrue(e.getMessage().contains("plain decimal yuan"), odd + ": " + e.getMessage());
        }
        assertEquals(50, Money.ofYuan(" 0.50 ").fen(), "surrounding blanks are not the amount's");
    }

    @Test
    void printsTwoDecimalPlaces() {
        assertEquals("1234.50", Money.ofFen(123450).toString());
        assertEquals("-0.05", Money.ofFen(-5).toString());
        assertEquals("0.00", Money.ZERO.toString());
        assertEquals(new BigDecimal("12.30"), Money.ofFen(1230).toYuan());
    }

    @Test
    void ratioProductsRoundHalfUpToTheFen() {
        assertEquals(Money.ofYuan("0.03"), Money.ofYuan("0.05").times(new BigDecimal("0.5")));  // 2.5 fen -> 3
        assertEquals(Money.ofYuan("0.02"), Money.ofYuan("0.05").times(new BigDecimal("0.49")));  // 2.45 fen -> 2
        assertEquals(Money.ofYuan("-0.03"), Money.ofYuan("-0.05").times(new BigDecimal("0.5"))); // away from zero
        assertEquals(Money.ofYuan("800.00"), Money.ofYuan("1000").times(new BigDecimal("0.8")));
    }

    @Test
    void additionAndSubtractionAreExactForRandomAmounts() {
        Random random = new Random(20261123L);
        for (int i = 0; i < 10_000; i++) {
            long a = random.nextLong() >> 20;
            long b = random.nextLong() >> 20;
            Money x = Money.ofFen(a);
            Money y = Money.ofFen(b);
            assertEquals(x, x.plus(y).minus(y));
            assertEquals(x.toYuan().add(y.toYuan()), x.plus(y).toYuan());
            assertEquals(x, Money.ofYuan(x.toString()));
        }
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        assertThrows(ArithmeticException.class, () -> Money.ofFen(Long.MAX_VALUE).plus(Money.ofFen(1)));
    }

    @Test
    void minMaxAndSigns() {
        Money one = Money.ofYuan("1");
        Money two = Money.ofYuan("2");
        assertEquals(one, one.min(two));
        assertEquals(two, one.max(two));
        assertTrue(one.negate().isNegative());
        assertTrue(Money.ZERO.isZero());
        assertTrue(two.compareTo(one) > 0);
    }

    @Test
    void theFastRatioProductEqualsTheBigDecimalReferenceForRandomInputs() {
        Random random = new Random(7L);
        for (int i = 0; i < 200_000; i++) {
            long fen = (random.nextLong() >> (1 + random.nextInt(60)));
            BigDecimal ratio = BigDecimal.valueOf(random.nextInt(2_000_001) - 1_000_000, random.nextInt(9));
            BigDecimal reference = BigDecimal.valueOf(fen).multiply(ratio).setScale(0, java.math.RoundingMode.HALF_UP);
            Money product;
            try {
                product = Money.ofFen(fen).times(ratio);
            } catch (IllegalArgumentException outOfRange) {
                assertTrue(reference.unscaledValue().bitLength() > 62, "refused a product that fits: " + fen + " × " + ratio);
                continue;
            }
            assertEquals(reference.longValueExact(), product.fen(), fen + " × " + ratio.toPlainString());
        }
    }

    @Test
    void hugeProductsFallBackToExactArithmeticOrAreRefused() {
        assertEquals(Money.ofFen(Long.MAX_VALUE / 2), Money.ofFen(Long.MAX_VALUE / 2).times(BigDecimal.ONE));
        assertThrows(IllegalArgumentException.class, () -> Money.ofFen(Long.MAX_VALUE / 2).times(new BigDecimal("3")));
        assertEquals(Money.ofFen(1), Money.ofFen(3).times(new BigDecimal("0.3333333333333333333333")));
    }
}
