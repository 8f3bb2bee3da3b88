package org.medsettle.store.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The database's use as the instance sees it: connections in use by transactions
 * ({@code medsettle_db_connections_in_use}, against the pool's {@code jdbc.pool.maxTotal}), the wait for one
 * ({@code medsettle_db_connection_wait_seconds}), transactions run again after a lock conflict and transactions that
 * failed ({@code medsettle_db_transactions_retried_total}, {@code _failed_total}).
 */
final class TransactionMeters implements Transactions.Observer {

    private final MeterRegistry registry;
    private final AtomicInteger inUse = new AtomicInteger();
    private final Timer wait;
    private final Counter retried;
    private final Counter failed;
    private final List<Meter> meters;

    TransactionMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge gauge = Gauge.builder("medsettle.db.connections.in.use", inUse, AtomicInteger::get)
                .description("database connections held by transactions now").register(registry);
        wait = Timer.builder("medsettle.db.connection.wait").description("time a transaction waited for a connection")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        retried = Counter.builder("medsettle.db.transactions.retried")
                .description("transactions run again after losing a lock conflict").register(registry);
        failed = Counter.builder("medsettle.db.transactions.failed")
                .description("transactions that failed: nothing of them committed").register(registry);
        meters = List.of(gauge, wait, retried, failed);
    }

    MeterRegistry registry() {
        return registry;
    }

    void remove() {
        meters.forEach(registry::remove);
    }

    @Override
    public void borrowed(long nanos) {
        inUse.incrementAndGet();
        wait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void returned() {
        inUse.decrementAndGet();
    }

    @Override
    public void retried() {
        retried.increment();
    }

    @Override
    public void failed() {
        failed.increment();
    }
}
