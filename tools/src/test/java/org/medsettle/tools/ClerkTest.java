package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

class ClerkTest {

    @Test
    void feeLineSerialsAreTheFourDigitZeroPaddedNumbersAndLongerOnesUncut() {
        for (int i = 0; i <= 20_000; i++) {
            assertEquals(String.format("%04d", i), Clerk.serial(i));
        }
    }

    @Test
    void timesAreWrittenAsTheHisInterfaceWritesThem() {
        assertEquals("2026-12-03 07:05:09", Clerk.time(LocalDateTime.of(2026, 12, 3, 7, 5, 9)));
    }
}
