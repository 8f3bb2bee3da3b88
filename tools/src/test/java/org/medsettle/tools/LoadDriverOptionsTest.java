package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class LoadDriverOptionsTest {

    private static final LocalDate YESTERDAY = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(1);

    @Test
    void withoutStayDayTheStaysAreOfYesterdayInChina() {
        assertEquals(YESTERDAY, LoadDriver.stayDay(null));
    }

    @Test
    void anEarlierStayDayIsTaken() {
        assertEquals(LocalDate.of(2026, 10, 30), LoadDriver.stayDay("2026-10-30"));
        assertEquals(YESTERDAY, LoadDriver.stayDay(YESTERDAY.toString()));
    }

    @Test
    void aStayDayFromTodayOnIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadDriver.stayDay(YESTERDAY.plusDays(1).toString()));
        assertTrue(e.getMessage().contains("after yesterday"), e.getMessage());
    }

    @Test
    void anImpossibleStayDayIsRefused() {
        for (String bad : new String[] {"2026-02-30", "30.11.2026", "", "2026-13-01"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadDriver.stayDay(bad));
            assertTrue(e.getMessage().contains("is not a day"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void stepsAreClerksPerStepAndAnythingElseIsRefusedWithTheUsage() {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 4, 16}, LoadDriver.steps("1, 4,16"));
        for (String bad : new String[] {"abc", "0", "4,,8", "-1", "1001", "", "4.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadDriver.steps(bad));
            assertTrue(e.getMessage().startsWith("steps: clerks per step"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void aFigureOfTheRunIsAWholeNumberOfAtLeastItsMinimum() {
        java.util.Map<String, String> opts = java.util.Map.of("seconds", "0", "prepared", "x", "warmup", "0");
        assertEquals(20, LoadDriver.whole(java.util.Map.of(), "seconds", "20", 1));
        assertEquals(0, LoadDriver.whole(opts, "warmup", "10", 0));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> LoadDriver.whole(opts, "seconds", "20", 1));
        assertEquals("--seconds: a whole number of at least 1, not '0'", zero.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadDriver.whole(opts, "prepared", "4000", 1))
                .getMessage().contains("not 'x'"));
        assertEquals("--persons is required", assertThrows(IllegalArgumentException.class,
                () -> LoadDriver.whole(java.util.Map.of(), "persons", null, 1)).getMessage());
    }
}
