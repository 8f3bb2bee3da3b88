package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalTimesTest {

    private static final DateTimeFormatter STRICT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    @Test
    void aTimeIsReadWhereverItStandsWithEitherSeparator() {
        assertEquals(LocalDateTime.of(2026, 2, 28, 23, 59, 59), LocalTimes.parse("2026-02-28 23:59:59", 0, ' '));
        assertEquals(LocalDateTime.of(2024, 2, 29, 0, 0, 0), LocalTimes.parse("x\t2024-02-29T00:00:00\ty", 2, 'T'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30 10:00:00", "2026-13-01 10:00:00", "2026-01-01 24:00:00", "2026-01-01 10:60:00",
            "2026-01-01 10:00:60", "2025-02-29 10:00:00", "2026-01-01T10:00:00", "2026/01/01 10:00:00",
            "2026-01-01 10-00-00", "2026-1-01 10:00:000", "２０２６-01-01 10:00:00", "+026-01-01 10:00:00",
            "2026-01-01 10:00:0", ""})
    void whatIsNotATimeThatExistsIsRefused(String s) {
        assertThrows(DateTimeException.class, () -> LocalTimes.parse(s, 0, ' '));
    }

    @Test
    void aTimeOutsideTheTextIsRefused() {
        assertThrows(DateTimeException.class, () -> LocalTimes.parse("2026-01-01 10:00:00", 1, ' '));
        assertThrows(DateTimeException.class, () -> LocalTimes.parse("2026-01-01 10:00:00", -1, ' '));
    }

    /** Random texts of the right shape: read exactly when the JDK's strict formatter reads them. */
    @Test
    void itAgreesWithTheStrictFormatter() {
        Random random = new Random(20261207);
        for (int i = 0; i < 200_000; i++) {
            String s = String.format("%04d-%02d-%02d %02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62));
            LocalDateTime expected;
            try {
                expected = LocalDateTime.parse(s, STRICT);
            } catch (DateTimeException e) {
                expected = null;
            }
            LocalDateTime actual;
            try {
                actual = LocalTimes.parse(s, 0, ' ');
            } catch (DateTimeException e) {
                actual = null;
            }
            assertEquals(expected, actual, s);
        }
    }
}
