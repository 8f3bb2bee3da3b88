package org.medsettle.api;

import java.util.Optional;

/**
 * Free text a person writes — a filing's evidence and reason, an assisted audit's question, an operator's name — is
 * one line of characters meant to be read. What is not is refused where it comes in: control characters (a NUL, an
 * escape that starts a terminal sequence, a line break that makes a console table show a row nobody wrote), the
 * marks that reverse the direction text is shown in (U+202E shows "evil" as "live"), line and paragraph separators,
 * and halves of UTF-16 pairs without their other half (nothing a store can write as UTF-8). Chinese, letters, digits,
 * punctuation and symbols are plain text.
 */
public final class PlainText {

    /** What a refusal says the rule is, after what broke it. */
    public static final String RULE = "text may hold only characters meant to be read, on one line";

    private PlainText() {
    }

    /**
     * What makes {@code text} not plain, e.g. {@code "U+001B (a control character) at character 7"}; empty when it
     * is plain (null is plain: absence is checked where a value is required).
     */
    public static Optional<String> problem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (paired(text, i)) {
                i++;
                continue;
            }
            String what = kind(text.charAt(i));
            if (what != null) {
                return Optional.of(String.format("U+%04X (%s) at character %d", (int) text.charAt(i), what,
                        text.codePointCount(0, i) + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code text} as it can be shown on a console: every character {@link #problem} would name replaced by its code,
     * e.g. {@code "moved<U+001B>[2J"} — for text stored before it was checked, or brought by another party.
     */
    public static String shown(String text) {
        if (text == null || problem(text).isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (paired(text, i)) {
                out.append(c).append(text.charAt(++i));
            } else if (kind(c) != null) {
                out.append(String.format("<U+%04X>", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * What another party claimed — a header naming a hospital or a client — as a log line can show it: its first
     * {@code max} characters ("…" after them if there were more), each character that is not plain text written as
     * its code ({@link #shown}).
     */
    public static String shownCut(String text, int max) {
        if (text == null) {
            return null;
        }
        return shown(text.length() > max ? text.substring(0, max) + "…" : text);
    }

    /** Whether {@code text} has a whole UTF-16 pair (one character beyond U+FFFF) at {@code i}. */
    private static boolean paired(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }

    /** What {@code c} (not part of a whole pair) is if it is not plain text, else null. */
    private static String kind(char c) {
        if (Character.isISOControl(c)) {
            return "a control character";
        }
        if (Character.isSurrogate(c)) {
            return "half of a UTF-16 pair";
        }
        if (c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' || c == '\u200E' || c == '\u200F'
                || c == '\u061C') {
            return "a mark that changes the direction text is shown in";
        }
        if (c == '\u2028' || c == '\u2029') {
            return "a line or paragraph separator";
        }
        return null;
    }

    /** {@code field + ": " + problem + "; " + RULE}, if any. */
    public static Optional<String> refusal(String field, String text) {
        return problem(text).map(p -> field + ": " + p + "; " + RULE);
    }
}
