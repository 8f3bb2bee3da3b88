package org.medsettle.api;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The clock of the business: settlement times, months, years, deadlines. The system's, unless an instance runs with
 * {@code -Dmedsettle.clock.offset=<ISO-8601 duration>} ({@code MEDSETTLE_CLOCK_OFFSET} in {@code bin/setenv}) — for
 * acceptance tests and training instances only: a month's settlements made on one day and cleared on the next, a
 * deadline passed. The link's replay window, TLS and logs keep the system's clock.
 */
public final class BusinessClock {

    /** The zone of the business's dates: China's (Asia/Shanghai), whatever zone a server runs in. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** The system property holding the offset, e.g. {@code -P3D} or {@code PT-36H}. */
    public static final String PROPERTY = "medsettle.clock.offset";

    private BusinessClock() {
    }

    /** The system's clock in UTC, shifted by {@link #offset()}. */
    public static Clock system() {
        Duration offset = offset();
        return offset.isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), offset);
    }

    /**
     * The offset set for this JVM (zero if none).
     *
     * @throws IllegalArgumentException if it is not an ISO-8601 duration
     */
    public static Duration offset() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(PROPERTY + " (MEDSETTLE_CLOCK_OFFSET) is not an ISO-8601 duration such as "
                    + "-P3D or PT-36H: '" + value + "'");
        }
    }

    /**
     * The business's date on {@code clock}: the date in China, which on a server in UTC changes at 16:00 (a date taken
     * in the machine's zone would name yesterday until midnight — on 1 January, last year).
     */
    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(ZONE));
    }

    /** The business's date now, on {@link #system()}. */
    public static LocalDate today() {
        return today(system());
    }
}
