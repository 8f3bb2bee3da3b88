package org.medsettle.probe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.health.HealthReport;
import org.medsettle.api.health.HealthResult;

class HealthJsonTest {

    private static HealthReport.Entry entry(String name, HealthResult result) {
        return new HealthReport.Entry(name, result, Duration.ofMillis(3));
    }

    @Test
    void aHealthyNodeIsUpWithEachCheckOk() {
        HealthReport report = new HealthReport(List.of(entry("components", HealthResult.ok("4 bundles")),
                entry("store", HealthResult.ok("Apache Derby at /srv/db"))));
        assertEquals("{\"status\":\"UP\",\"checks\":{\"components\":\"OK\",\"store\":\"OK\"}}", HealthJson.render(report));
    }

    @Test
    void oneFailureMakesItDownWithoutRevealingTheReason() {
        HealthReport report = new HealthReport(List.of(entry("store", HealthResult.fail("cannot open /srv/secret/db"))));
        String json = HealthJson.render(report);
        assertEquals("{\"status\":\"DOWN\",\"checks\":{\"store\":\"FAIL\"}}", json);
        assertFalse(json.contains("/srv/secret"));
    }

    @Test
    void namesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\u000a", HealthJson.escape("a\"b\\c\n"));
    }
}
