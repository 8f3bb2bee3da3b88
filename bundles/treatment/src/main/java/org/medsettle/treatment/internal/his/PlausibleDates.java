package org.medsettle.treatment.internal.his;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Dates a hospital sends are checked against the real world, not just their format (issue 10, item 3): a value that
 * parses can still move a stay into another year's accumulators. Each refusal names the field. The window, in
 * {@code etc/org.medsettle.transactions.cfg} (changes take effect without a restart):
 *
 * <ul>
 *   <li>{@code admissionMaxAgeDays} (default 400): an admission ({@code begntime} of 2401, 2201) at most this many days
 *       before the node's clock — a stay of over a year is settled in parts;</li>
 *   <li>{@code futureToleranceMinutes} (default 60): an admission or a fee at most this far ahead of the node's clock
 *       (clocks of hospitals drift);</li>
 *   <li>{@code dischargeAheadMinutes} (default 1440): a discharge ({@code endtime} of 2402) at most this far ahead
 *       (a discharge entered the evening before), never before its admission;</li>
 *   <li>{@code feeDaysOutsideStay} (default 190): a fee ({@code fee_ocur_time} of 2301/2204) at most this many days
 *       before the admission, or after the discharge of a discharged stay. The reference sequences date fees up to
 *       125 days before admission and 180 days after discharge (items re-billed, catalogue validity), hence 190.</li>
 * </ul>
 */
final class PlausibleDates {

    record Window(long admissionMaxAgeDays, long futureToleranceMinutes, long dischargeAheadMinutes,
                  long feeDaysOutsideStay) {

        static final Window DEFAULT = new Window(400, 60, 1440, 190);

        /** The window of a configuration; absent or unreadable values take their default, negative ones too. */
        static Window of(Map<String, ?> properties) {
            return new Window(number(properties, "admissionMaxAgeDays", DEFAULT.admissionMaxAgeDays),
                    number(properties, "futureToleranceMinutes", DEFAULT.futureToleranceMinutes),
                    number(properties, "dischargeAheadMinutes", DEFAULT.dischargeAheadMinutes),
                    number(properties, "feeDaysOutsideStay", DEFAULT.feeDaysOutsideStay));
        }

        private static long number(Map<String, ?> properties, String name, long fallback) {
            Object v = properties == null ? null : properties.get(name);
            if (v == null || v.toString().isBlank()) {
                return fallback;
            }
            try {
                long n = Long.parseLong(v.toString().strip());
                return n < 0 ? fallback : n;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    private final Clock clock;
    private volatile Window window = Window.DEFAULT;

    PlausibleDates(Clock clock) {
        this.clock = clock;
    }

    void configure(Window window) {
        this.window = window;
    }

    Window window() {
        return window;
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(Envelopes.CHINA));
    }

    /** An admission or outpatient registration time. */
    void admission(LocalDateTime begin, String field) {
        Window w = window;
        LocalDateTime now = now();
        notInTheFuture(begin, now, w, field);
        if (begin.isBefore(now.minusDays(w.admissionMaxAgeDays()))) {
            throw HisRefusal.field(field, Input.TIME.format(begin) + " is more than " + w.admissionMaxAgeDays()
                    + " days ago: not a plausible admission");
        }
    }

    private static void notInTheFuture(LocalDateTime time, LocalDateTime now, Window w, String field) {
        if (time.isAfter(now.plusMinutes(w.futureToleranceMinutes()))) {
            throw HisRefusal.field(field, Input.TIME.format(time) + " is in the future (the node's clock says "
                    + Input.TIME.format(now) + ")");
        }
    }

    /** A discharge time of a stay admitted at {@code begin}. */
    void discharge(LocalDateTime end, LocalDateTime begin, String field) {
        Window w = window;
        LocalDateTime now = now();
        if (end.isBefore(begin)) {
            throw HisRefusal.field(field, "discharge " + Input.TIME.format(end) + " before admission "
                    + Input.TIME.format(begin));
        }
        if (end.isAfter(now.plusMinutes(w.dischargeAheadMinutes()))) {
            throw HisRefusal.field(field, Input.TIME.format(end) + " is more than "
                    + Duration.ofMinutes(w.dischargeAheadMinutes()).toHours() + " h ahead of the node's clock ("
                    + Input.TIME.format(now) + ")");
        }
    }

    /** A fee's time in a stay admitted at {@code begin} and discharged at {@code end}, if it was. */
    void fee(LocalDateTime time, LocalDateTime begin, Optional<LocalDateTime> end, String field) {
        Window w = window;
        LocalDateTime now = now();
        notInTheFuture(time, now, w, field);
        if (time.isBefore(begin.minusDays(w.feeDaysOutsideStay()))) {
            throw HisRefusal.field(field, Input.TIME.format(time) + " is more than " + w.feeDaysOutsideStay()
                    + " days before the admission " + Input.TIME.format(begin));
        }
        if (end.isPresent() && time.isAfter(end.get().plusDays(w.feeDaysOutsideStay()))) {
            throw HisRefusal.field(field, Input.TIME.format(time) + " is more than " + w.feeDaysOutsideStay()
                    + " days after the discharge " + Input.TIME.format(end.get()));
        }
    }
}
