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
}
