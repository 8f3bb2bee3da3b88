package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void aNumberOfUsualSizeIsShownInPlainDigits() {
        assertEquals("1000", Decimals.shown(new BigDecimal("1E+3")));
        assertEquals("0.00000015", Decimals.shown(new BigDecimal("1.5E-7")));
        assertEquals("-99999999999999.99", Decimals.shown(new BigDecimal("-99999999999999.99")));
        assertEquals("1" + "0".repeat(39), Decimals.shown(new BigDecimal("1E+39")));
    }

    @Test
    void aNumberThatWouldBeWrittenOutDigitByDigitIsShownInScientificNotationAtOnce() {
        assertEquals("1E+99999999", Decimals.shown(new BigDecimal("1e99999999")));
        assertEquals("1E-999999999", Decimals.shown(new BigDecimal("1e-999999999")));
        assertEquals("1E+40", Decimals.shown(new BigDecimal("1E+40")));
    }

    @Test
    void moneyFromSuchANumberIsRefusedWithAShortMessage() {
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> Money.ofYuan(new BigDecimal("1e999999999")));
        assertTrue(large.getMessage().length() < 100, large.getMessage());
        IllegalArgumentException fine = assertThrows(IllegalArgumentException.class,
                () -> Money.ofYuan(new BigDecimal("1e-999999999")));
        assertTrue(fine.getMessage().endsWith("1E-999999999"), fine.getMessage());
    }
}
