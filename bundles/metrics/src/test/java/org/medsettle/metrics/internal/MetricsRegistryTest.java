package org.medsettle.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.junit.jupiter.api.Test;

/** The registry as the instance makes it: the JVM's meters, the instance's tags, Prometheus's text format. */
class MetricsRegistryTest {

    @Test
    void theScrapeHasTheJvmsMetersAndTheInstancesTagsInPrometheusTextFormat() throws Exception {
        List<AutoCloseable> binders = new ArrayList<>();
        PrometheusMeterRegistry r = MetricsRegistry.create("node", "330000", binders);
        try {
            Counter.builder("medsettle.his.requests").tags("infno", "2304", "infcode", "0", "insured", "630000")
                    .register(r).increment();
            String text = r.scrape();
            assertTrue(text.contains("# TYPE medsettle_his_requests_total counter"), text);
            assertTrue(text.contains("medsettle_his_requests_total{infcode=\"0\",infno=\"2304\",insured=\"630000\","
                    + "province=\"330000\",role=\"node\"} 1.0"), text);
            assertTrue(text.contains("jvm_memory_used_bytes{"), "the JVM's meters");
            assertTrue(text.contains("process_cpu_usage{"), "the process's CPU");
            assertTrue(text.contains("jvm_gc_"), "the garbage collector's meters");
        } finally {
            for (AutoCloseable c : binders) {
                c.close();
            }
            r.close();
        }
    }
}
