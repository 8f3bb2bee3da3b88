package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleDatesTest {

    @Test
    void aDayOfTheCalendarIsReadWithTheSpacesAroundItIgnored() {
        assertEquals(LocalDate.of(2028, 2, 29), ConsoleDates.day("--from", " 2028-02-29 "));
        assertEquals(Optional.empty(), ConsoleDates.day("--to", Optional.empty()));
        assertEquals(Optional.of(LocalDate.of(2026, 12, 31)), ConsoleDates.day("--to", Optional.of("2026-12-31")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2027-02-29", "2026-13-01", "2026-04-31", "20261201", "2026/12/01", "tomorrow", ""})
    void textThatIsNotADayIsRefusedNamingTheOptionAndTheFormInsteadOfJavasParserMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsoleDates.day("--from", text));
        assertEquals("--from: a day of the calendar, yyyy-MM-dd, not '" + text + "'", e.getMessage());
    }

    @Test
    void aLongTextIsEchoedCut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConsoleDates.day("date", Optional.of("9".repeat(500))));
        assertEquals("date: a day of the calendar, yyyy-MM-dd, not '" + "9".repeat(64) + "…'", e.getMessage());
    }
}
