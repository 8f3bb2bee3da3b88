package org.medsettle.api.health;

import java.time.Duration;
import java.util.List;

/** The results of every registered health check at one moment. Healthy only if there is no FAIL. */
public record HealthReport(List<Entry> entries) {

    public HealthReport {
        entries = List.copyOf(entries);
    }

    /** One check's result and how long it took. */
    public record Entry(String name, HealthResult result, Duration took) {
    }

    public boolean healthy() {
        return !entries.isEmpty() && entries.stream().allMatch(e -> e.result().ok());
    }

    public List<Entry> failures() {
        return entries.stream().filter(e -> !e.result().ok()).toList();
    }
}
