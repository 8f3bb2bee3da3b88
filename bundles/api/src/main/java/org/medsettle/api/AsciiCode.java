package org.medsettle.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The form of a code in the national interface's fields — 1 to {@code max} ASCII letters and digits, and the
 * punctuation named — checked character by character: a fee line's four codes are checked at every upload, where
 * a regular expression's matcher cost more than the rest of reading the line.
 *
 * @param max         the most characters a code has (at least 1)
 * @param punctuation the characters other than letters and digits a code may hold, e.g. {@code "._-"}
 */
public record AsciiCode(int max, String punctuation) {

    public AsciiCode {
        Objects.requireNonNull(punctuation, "punctuation");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        for (int i = 0; i < punctuation.length(); i++) {
            char c = punctuation.charAt(i);
            if (c > 0x7e || c < 0x21 || Character.isLetterOrDigit(c)) {
                throw new IllegalArgumentException("punctuation must be printable ASCII other than letters and digits: "
                        + punctuation);
            }
        }
    }

    /** Whether {@code s} is such a code. */
    public boolean matches(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || punctuation.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** The same form as a regular expression, for whoever needs one. */
    public Pattern pattern() {
        StringBuilder cls = new StringBuilder("[0-9A-Za-z");
        for (int i = 0; i < punctuation.length(); i++) {
            cls.append('\\').append(punctuation.charAt(i));
        }
        return Pattern.compile(cls.append("]{1,").append(max).append('}').toString());
    }
}
