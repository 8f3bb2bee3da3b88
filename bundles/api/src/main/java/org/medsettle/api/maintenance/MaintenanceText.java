package org.medsettle.api.maintenance;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How a window's times are written for clerks and operators: China time, to the minute. */
public final class MaintenanceText {

    public static final ZoneId CHINA = org.medsettle.api.BusinessClock.ZONE;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(CHINA);

    /** The longest window a node may announce: a maintenance, not an outage of days. */
    public static final java.time.Duration LONGEST = java.time.Duration.ofHours(72);
    /** How far ahead a window may be announced. */
    public static final java.time.Duration AHEAD = java.time.Duration.ofDays(90);

    private MaintenanceText() {
    }

    /**
     * Why {@code from}–{@code until} with {@code reason} is not a window a node may announce at {@code now}, or null
     * if it is one.
     */
    public static String problem(Instant from, Instant until, String reason, Instant now) {
        if (from == null || until == null) {
            return "a window needs its beginning and its end";
        }
        if (!until.isAfter(from)) {
            return "the window ends (" + china(until) + ") before it begins (" + china(from) + ")";
        }
        if (!until.isAfter(now)) {
            return "the window is over already (it ended " + china(until) + ")";
        }
        if (java.time.Duration.between(from, until).compareTo(LONGEST) > 0) {
            return "a maintenance window is at most " + LONGEST.toHours() + " hours, not "
                    + java.time.Duration.between(from, until).toHours() + ": announce the next one when this one ends";
        }
        if (from.isAfter(now.plus(AHEAD))) {
            return "a window begins at most " + AHEAD.toDays() + " days ahead, not on " + china(from);
        }
        if (reason == null || reason.isBlank() || reason.strip().length() > 200) {
            return "a window needs its reason for the clerks (1 to 200 characters)";
        }
        java.util.Optional<String> notPlain = org.medsettle.api.PlainText.refusal("the reason", reason);
        if (notPlain.isPresent()) {
            return notPlain.get();
        }
        return null;
    }

    /** e.g. {@code 2026-12-05 00:00}. */
    public static String china(Instant t) {
        return MINUTE.format(t);
    }

    /** What a clerk is told in {@code warn_msg} before or during a window of the insured province. */
    public static String warning(MaintenanceNotices.Window w, Instant now) {
        return warning(w, now, false);
    }

    /**
     * What a clerk is told in {@code warn_msg} before or during a window of the insured province; {@code provisional}:
     * this node settles that province's insured provisionally (暂记结算) while it is down.
     */
    public static String warning(MaintenanceNotices.Window w, Instant now, boolean provisional) {
        String when = china(w.from()) + " to " + china(w.until()) + " (China time)";
        return w.openAt(now)
                ? "参保地 " + w.province() + " 停机维护: the insured province's system is down for maintenance until "
                        + china(w.until()) + " (" + w.reason() + "); " + (provisional
                        ? "settlements for its insured persons are made provisionally (暂记结算), within its risk "
                                + "limit, until then"
                        : "settlements for its insured persons are refused until then")
                : "参保地 " + w.province() + " 停机公告: the insured province's system will be down for maintenance "
                        + when + " (" + w.reason() + "): settle this patient's stay before it begins, or after it";
    }
}
