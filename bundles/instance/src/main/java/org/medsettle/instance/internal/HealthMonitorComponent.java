package org.medsettle.instance.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthMonitor;
import org.medsettle.api.health.HealthReport;
import org.medsettle.api.health.HealthResult;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Runs every registered {@link HealthCheck} in parallel, each bounded by a timeout. */
@Component
public class HealthMonitorComponent implements HealthMonitor {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "medsettle-health");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(HealthCheck check) {
        checks.add(check);
    }

    void removeCheck(HealthCheck check) {
        checks.remove(check);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public HealthReport checkAll() {
        return run(List.copyOf(checks), executor, TIMEOUT);
    }

    static HealthReport run(List<HealthCheck> checks, ExecutorService executor, Duration timeout) {
        List<Future<HealthResult>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (HealthCheck check : checks) {
            futures.add(executor.submit(check::check));
        }
        List<HealthReport.Entry> entries = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            HealthResult result;
            try {
                long left = timeout.toNanos() - (System.nanoTime() - start);
                result = futures.get(i).get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                if (result == null) {
                    result = HealthResult.fail("the check returned nothing");
                }
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                result = HealthResult.fail("no answer within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                result = HealthResult.fail("the check itself failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = HealthResult.fail("interrupted");
            }
            entries.add(new HealthReport.Entry(safeName(check), result, Duration.ofNanos(System.nanoTime() - start)));
        }
        entries.sort(Comparator.comparing(HealthReport.Entry::name));
        return new HealthReport(entries);
    }

    private static String safeName(HealthCheck check) {
        try {
            return check.name();
        } catch (RuntimeException e) {
            return check.getClass().getName();
        }
    }
}
