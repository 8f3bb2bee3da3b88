package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class BusinessClockTodayTest {

    @Test
    void theBusinessDateIsTheDateInChinaWhateverZoneTheServerRunsIn() {
        // a server in UTC: 16:00 there is midnight in China
        Clock lastEvening = Clock.fixed(Instant.parse("2026-12-31T15:59:59Z"), ZoneOffset.UTC);
        Clock newYear = Clock.fixed(Instant.parse("2026-12-31T16:00:00Z"), ZoneOffset.UTC);
        assertEquals(LocalDate.of(2026, 12, 31), BusinessClock.today(lastEvening));
        assertEquals(LocalDate.of(2027, 1, 1), BusinessClock.today(newYear), "the accumulators of 2027 from then on");
        assertEquals(LocalDate.of(2027, 1, 1), BusinessClock.today(newYear.withZone(ZoneOffset.ofHours(-5))));
    }
}
