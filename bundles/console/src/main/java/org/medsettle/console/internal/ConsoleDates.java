package org.medsettle.console.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Days typed at the console: {@code yyyy-MM-dd}, a day that exists, or a message that says what was expected. */
final class ConsoleDates {

    private ConsoleDates() {
    }

    /**
     * @param what the argument or option the text came from, as the message names it ({@code --from}, {@code date})
     * @throws IllegalArgumentException naming {@code what} for text that is not a day of the calendar (2026-02-30)
     */
    static LocalDate day(String what, String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + ": a day of the calendar, yyyy-MM-dd, not '"
                    + Format.echo(text) + "'");
        }
    }

    /** {@link #day} of a text that may be absent (an option not given): empty then. */
    static Optional<LocalDate> day(String what, Optional<String> text) {
        return text.map(t -> day(what, t));
    }
}
