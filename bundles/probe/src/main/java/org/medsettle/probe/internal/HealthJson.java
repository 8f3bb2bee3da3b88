package org.medsettle.probe.internal;

import org.medsettle.api.health.HealthReport;

/**
 * The probe's answer: {@code {"status":"UP","checks":{"components":"OK","store":"OK"}}}. Only names and
 * OK/FAIL: the reasons (paths, versions) are for the console, not for anyone who can reach the port.
 */
final class HealthJson {

    private HealthJson() {
    }

    static String render(HealthReport report) {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(report.healthy() ? "UP" : "DOWN").append("\",\"checks\":{");
        boolean first = true;
        for (HealthReport.Entry entry : report.entries()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append('"').append(escape(entry.name())).append("\":\"").append(entry.result().status()).append('"');
        }
        return json.append("}}").toString();
    }

    static String unavailable() {
        return "{\"status\":\"DOWN\",\"checks\":{}}";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
