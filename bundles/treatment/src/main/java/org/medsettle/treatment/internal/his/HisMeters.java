package org.medsettle.treatment.internal.his;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.medsettle.support.metrics.Latency;

/**
 * The HIS requests' meters. The tags are read from the request's and the answer's first bytes without parsing them
 * again, and kept to known values (a hostile request cannot make new time series): {@code infno} one this node
 * serves or "other", {@code insured} a province code ("none"), {@code infcode} 0, -1, -2 or 503.
 */
final class HisMeters {

    static final String REQUESTS = "medsettle.his.requests";
    static final String LATENCY = "medsettle.his.request";
    /** How much of a request is read for its tags: the envelope's fields come before its input. */
    static final int REQUEST_HEAD = 4096;

    private HisMeters() {
    }

    /** A request's tags. */
    record Request(String infno, String insured) {

        /** A division code's form, compiled once (String.matches compiled it anew at every request). */
        private static final java.util.regex.Pattern SIX_DIGITS = java.util.regex.Pattern.compile("\\d{6}");

        static Request of(byte[] request, Set<String> served) {
            String head = head(request, REQUEST_HEAD);
            String infno = field(head, "infno");
            String insured = field(head, "insuplc_admdvs");
            return new Request(served.contains(infno) ? infno : "other",
                    SIX_DIGITS.matcher(insured).matches() && !insured.startsWith("00") ? insured.substring(0, 2) + "0000" : "none");
        }
    }

    static void record(MeterRegistry registry, Request request, String infcode, long nanos) {
        Counter.builder(REQUESTS).description("HIS requests answered, by transaction, answer and insured province")
                .tags("infno", request.infno(), "infcode", infcode, "insured", request.insured()).register(registry)
                .increment();
        Latency.record(registry, LATENCY, "HIS requests' time at the node, from the adapter's call to the answer",
                nanos, "infno", request.infno());
    }

    /** The answer's infcode: the envelope's first field ({@link Envelopes}). */
    static String infcode(byte[] answer) {
        String v = field(head(answer, 64), "infcode");
        return switch (v) {
            case "0", "-1", "-2" -> v;
            default -> "other";
        };
    }

    private static String head(byte[] json, int limit) {
        return new String(json, 0, Math.min(limit, json.length), StandardCharsets.UTF_8);
    }

    /** The text value of {@code "name":"value"} in {@code head}, "" if none (or longer than 40 characters). */
    static String field(String head, String name) {
        String key = "\"" + name + "\"";
        int at = head.indexOf(key);
        if (at < 0) {
            return "";
        }
        int i = at + key.length();
        while (i < head.length() && (head.charAt(i) == ' ' || head.charAt(i) == ':' || head.charAt(i) == '\t')) {
            i++;
        }
        if (i >= head.length() || head.charAt(i) != '"') {
            return "";
        }
        int end = head.indexOf('"', i + 1);
        return end < 0 || end - i > 40 ? "" : head.substring(i + 1, end);
    }
}
