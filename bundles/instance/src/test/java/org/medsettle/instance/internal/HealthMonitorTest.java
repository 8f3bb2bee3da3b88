package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthReport;
import org.medsettle.api.health.HealthResult;

class HealthMonitorTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static HealthCheck check(String name, java.util.function.Supplier<HealthResult> result) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthResult check() {
                return result.get();
            }
        };
    }

    @Test
    void healthyOnlyWhenEveryCheckIsOk() {
        HealthReport report = HealthMonitorComponent.run(List.of(check("b", () -> HealthResult.ok("fine")),
                check("a", () -> HealthResult.ok("fine too"))), executor, Duration.ofSeconds(5));
        assertTrue(report.healthy());
        assertEquals(List.of("a", "b"), report.entries().stream().map(HealthReport.Entry::name).toList());
    }

    @Test
    void oneFailureMakesTheWholeReportUnhealthyAndKeepsItsReason() {
        HealthReport report = HealthMonitorComponent.run(List.of(check("store", () -> HealthResult.fail("disk full")),
                check("components", () -> HealthResult.ok("fine"))), executor, Duration.ofSeconds(5));
        assertFalse(report.healthy());
        assertEquals("disk full", report.failures().get(0).result().detail());
    }

    @Test
    void aCheckThatThrowsIsAFailureNotACrash() {
        HealthReport report = HealthMonitorComponent.run(List.of(check("x", () -> {
            throw new IllegalStateException("boom");
        })), executor, Duration.ofSeconds(5));
        assertFalse(report.healthy());
        assertTrue(report.entries().get(0).result().detail().contains("boom"));
    }

    @Test
    void aCheckThatHangsIsReportedAfterTheTimeout() {
        HealthReport report = HealthMonitorComponent.run(List.of(check("slow", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthResult.ok("late");
        })), executor, Duration.ofMillis(200));
        assertFalse(report.healthy());
        assertTrue(report.entries().get(0).result().detail().contains("no answer within"));
    }

    @Test
    void noChecksAtAllIsNotHealthy() {
        assertFalse(HealthMonitorComponent.run(List.of(), executor, Duration.ofSeconds(1)).healthy());
    }
}
