package org.medsettle.support.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * How the appliance times what a clerk or a node waits for (a HIS request, an exchange through the hub, the hub's
 * forwarding): one histogram shape, 1 ms to 30 s, so that {@code histogram_quantile} reads them all alike. In a
 * package of its own: bnd copies a support package whole into the bundles that use it, and only the bundles that
 * measure may import Micrometer.
 */
public final class Latency {

    private Latency() {
    }

    /** Records {@code nanos} in timer {@code name} with {@code tags} (name, value pairs). */
    public static void record(MeterRegistry registry, String name, String description, long nanos, String... tags) {
        Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
