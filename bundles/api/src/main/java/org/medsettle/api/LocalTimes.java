package org.medsettle.api;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * Times written {@code yyyy-MM-dd HH:mm:ss} (the national interface's) or {@code yyyy-MM-ddTHH:mm:ss} (as a node
 * keeps them), read by hand: a {@code DateTimeFormatter} cost more than the rest of a fee line (issue 15). Strict: every
 * separator where it belongs, a digit everywhere else, and a time that exists — no 30 February, no 24:00.
 */
public final class LocalTimes {

    /** The characters of such a time. */
    public static final int LENGTH = 19;

    private LocalTimes() {
    }

    /**
     * The time written in {@code s} from {@code from} (its {@link #LENGTH} characters), {@code separator} between the
     * date and the time of day.
     *
     * @throws DateTimeException if those characters are not such a time, or name one that does not exist
     */
    public static LocalDateTime parse(CharSequence s, int from, char separator) {
        if (from < 0 || s.length() - from < LENGTH || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-'
                || s.charAt(from + 10) != separator || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':') {
            throw new DateTimeException("not yyyy-MM-dd" + separator + "HH:mm:ss");
        }
        return LocalDateTime.of(digits(s, from, 4), digits(s, from + 5, 2), digits(s, from + 8, 2),
                digits(s, from + 11, 2), digits(s, from + 14, 2), digits(s, from + 17, 2));
    }

    private static int digits(CharSequence s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException("not a digit at " + i);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
