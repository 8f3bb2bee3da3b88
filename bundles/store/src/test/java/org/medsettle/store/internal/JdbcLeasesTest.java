package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** Leases between instances sharing one database; {@link JdbcLeasesOnPostgresqlTest} runs them on PostgreSQL. */
class JdbcLeasesTest {

    DataSource newDatabase() {
        return Derby.inMemory();
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final DataSource ds = migrated();
    private final MovingClock clock = new MovingClock();
    private final JdbcLeases first = new JdbcLeases(ds, clock, "host-a:101:1");
    private final JdbcLeases second = new JdbcLeases(ds, clock, "host-b:202:2");

    private DataSource migrated() {
        DataSource d = newDatabase();
        new SchemaMigrator(d, Clock.systemUTC()).migrate(MigrationLoader.shipped().load());
        return d;
    }

    @Test
    void oneInstanceHoldsALeaseAndRenewsItWhileTheOtherWaits() {
        assertTrue(first.hold("link-outbox", Duration.ofSeconds(15)));
        assertFalse(second.hold("link-outbox", Duration.ofSeconds(15)));
        clock.now = clock.now.plusSeconds(10);
        assertTrue(first.hold("link-outbox", Duration.ofSeconds(15)), "renewed");
        clock.now = clock.now.plusSeconds(10);
        assertFalse(second.hold("link-outbox", Duration.ofSeconds(15)), "20 s after it was taken, 10 s after renewal");
        assertEquals(List.of(new org.medsettle.api.store.Leases.Lease("link-outbox", "host-a:101:1",
                Instant.parse("2026-12-01T08:00:25Z"), Instant.parse("2026-12-01T08:00:00Z"))), first.leases());
        assertTrue(second.hold("link-index", Duration.ofSeconds(15)), "another lease is another's to take");
    }

    @Test
    void aLeaseNotRenewedInTimeIsTakenOverAsOfThen() {
        assertTrue(first.hold("link-outbox", Duration.ofSeconds(15)));
        clock.now = clock.now.plusSeconds(16);
        assertTrue(second.hold("link-outbox", Duration.ofSeconds(15)), "the holder stopped renewing: killed");
        assertFalse(first.hold("link-outbox", Duration.ofSeconds(15)), "the old holder, back, finds it taken");
        assertEquals(clock.now, second.leases().get(0).acquiredAt());
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceAndOnlyItsHolderReleasesIt() {
        assertTrue(first.hold("link-outbox", Duration.ofSeconds(15)));
        second.release("link-outbox");
        assertFalse(second.hold("link-outbox", Duration.ofSeconds(15)), "not released by another");
        first.release("link-outbox");
        assertTrue(second.hold("link-outbox", Duration.ofSeconds(15)));
    }

    @Test
    void instancesAskingTogetherForAnUnheldLeaseGetItOnce() throws Exception {
        int instances = 6;
        CyclicBarrier together = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            JdbcLeases one = new JdbcLeases(ds, clock, "host-" + i + ":1:1");
            answers.add(pool.submit((Callable<Boolean>) () -> {
                together.await();
                return one.hold("clearing", Duration.ofSeconds(30));
            }));
        }
        int held = 0;
        for (Future<Boolean> a : answers) {
            held += a.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, held);
    }

    @Test
    void theOnlyInstanceOfAnEmbeddedDatabaseHoldsEveryLeaseWithoutWriting() {
        JdbcLeases only = new JdbcLeases(ds, clock, "host-a:101:1", true);
        assertTrue(first.hold("link-outbox", Duration.ofSeconds(15)));
        assertTrue(only.hold("link-outbox", Duration.ofSeconds(15)), "embedded Derby: no other JVM can open it");
        only.release("link-outbox");
        assertEquals(1, first.leases().size());
    }

    @Test
    void nonsenseNamesAndTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> first.hold("", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> first.hold("x".repeat(65), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> first.hold("x", Duration.ZERO));
    }
}
