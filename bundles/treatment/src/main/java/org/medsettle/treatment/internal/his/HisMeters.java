package org.medsettle.treatment.internal.his;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The HIS requests' meters. The tags are read from the request's and the answer's first bytes without parsing them
 * again, and kept to known values (a hostile request cannot make new time series): {@code infno} one this node
 * serves or "other", {@code insured} a province code ("none"), {@code infcode} 0, -1, -2 or 503.
 */
final class HisMeters {

    static final String REQUESTS = "medsettle.his.requests";
    static final String LATENCY = "medsettle.his.request";

    private HisMeters() {
    }

    static void record(MeterRegistry registry, String infno, String infcode, String insured, long nanos) {
        Counter.builder(REQUESTS).description("HIS requests answered, by transaction, answer and insured province")
                .tags("infno", infno, "infcode", infcode, "insured", insured).register(registry).increment();
        Timer.builder(LATENCY).description("HIS requests' time at the node, from the adapter's call to the answer")
                .tags("infno", infno).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The answer's infcode: the envelope's first field ({@link Envelopes}). */
    static String infcode(byte[] answer) {
        String v = field(answer, "infcode", 64);
        return switch (v) {
            case "0", "-1", "-2" -> v;
            default -> "other";
        };
    }

    /** The request's infno, if one this node serves. */
    static String infno(byte[] request, Set<String> served) {
        String v = field(request, "infno", 4096);
        return served.contains(v) ? v : "other";
    }

    /** The province of the request's insuplc_admdvs (e.g. 630000), "none". */
    static String insured(byte[] request) {
        String v = field(request, "insuplc_admdvs", 4096);
        return v.matches("\\d{6}") && !v.startsWith("00") ? v.substring(0, 2) + "0000" : "none";
    }

    /** The text value of {@code "name":"value"} within the first {@code limit} bytes, "" if none. */
    static String field(byte[] json, String name, int limit) {
        String head = new String(json, 0, Math.min(limit, json.length), StandardCharsets.UTF_8);
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
