package org.medsettle.api;

import java.util.regex.Pattern;

/**
 * Jackson's messages for a hospital's clerk, an HIS vendor or a filing API client: what is wrong with the JSON, without Java type names
 * ({@code (bound as `com.fasterxml.jackson.databind.JsonNode`)}) or the names of Jackson's settings.
 */
public final class JsonErrors {

    private static final Pattern BOUND_AS = Pattern.compile("\\s*\\(bound as `[^`]*`\\)");
    private static final Pattern JAVA_NAME = Pattern.compile("`[a-z][a-z0-9_]*(\\.[A-Za-z0-9_$]+)+`");
    private static final Pattern FEATURE = Pattern.compile(":?\\s*not allowed as per `?DeserializationFeature[^`]*`?");

    private JsonErrors() {
    }

    /** The first line of a Jackson message, said plainly. */
    public static String plain(String jacksonMessage) {
        if (jacksonMessage == null) {
            return "malformed";
        }
        String m = jacksonMessage.lines().findFirst().orElse("").strip();
        if (m.startsWith("Trailing token")) {
            return "more follows after the envelope's closing }: send exactly one JSON object";
        }
        if (m.startsWith("No content to map")) {
            return "the body is empty: send one JSON object";
        }
        m = BOUND_AS.matcher(m).replaceAll("");
        m = FEATURE.matcher(m).replaceAll("");
        m = JAVA_NAME.matcher(m).replaceAll("a value");
        return m;
    }
}
