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
            char c = text.charAt(i);
            String what = null;
            if (Character.isISOControl(c)) {
                what = "a control character";
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                what = "half of a UTF-16 pair";
            } else if (c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' || c == '\u200E' || c == '\u200F'
                    || c == '\u061C') {
                what = "a mark that changes the direction text is shown in";
            } else if (c == '\u2028' || c == '\u2029') {
                what = "a line or paragraph separator";
            }
            if (what != null) {
                return Optional.of(String.format("U+%04X (%s) at character %d", (int) c, what,
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
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (problem(String.valueOf(c)).isPresent()) {
                out.append(String.format("<U+%04X>", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code field + ": " + problem + "; " + RULE}, if any. */
    public static Optional<String> refusal(String field, String text) {
        return problem(text).map(p -> field + ": " + p + "; " + RULE);
    }
}
