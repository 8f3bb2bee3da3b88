package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IdBlocksTest {

    /** The database of each test: in-memory Derby here, PostgreSQL in {@link IdBlocksOnPostgresqlTest}. */
    javax.sql.DataSource newDatabase() {
        return Derby.inMemory();
    }

    private javax.sql.DataSource migrated() {
        javax.sql.DataSource ds = newDatabase();
        new SchemaMigrator(ds, Clock.systemUTC()).migrate(MigrationLoader.shipped().load());
        return ds;
    }

    @Test
    void twoProcessesOnOneDatabaseNeverHandOutTheSameNumber() {
        javax.sql.DataSource ds = migrated();
        IdBlocks first = new IdBlocks(ds);
        IdBlocks second = new IdBlocks(ds);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 3 * IdBlocks.BLOCK; i++) {
            assertTrue(seen.add(first.next("setl_id")));
            assertTrue(seen.add(second.next("setl_id")));
        }
        assertEquals(6 * IdBlocks.BLOCK, seen.size());
    }

    @Test
    void instancesReservingANewSequenceTogetherGetDisjointBlocks() throws Exception {
        javax.sql.DataSource ds = migrated();
        int instances = 6;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(instances);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(instances);
        java.util.List<java.util.concurrent.Future<Long>> first = new java.util.ArrayList<>();
        for (int i = 0; i < instances; i++) {
            IdBlocks ids = new IdBlocks(ds);
            first.add(pool.submit(() -> {
                together.await();
                return ids.next("new_sequence");
            }));
        }
        Set<Long> seen = new HashSet<>();
        for (java.util.concurrent.Future<Long> f : first) {
            assertTrue(seen.add(f.get()), "each instance its own block: " + seen);
        }
        pool.shutdown();
    }

    @Test
    void numbersIncreaseWithinAProcessAndSequencesAreIndependent() {
        IdBlocks ids = new IdBlocks(migrated());
        long a = ids.next("mdtrt_id");
        assertEquals(a + 1, ids.next("mdtrt_id"));
        assertEquals(1, ids.next("filing_id"));
    }

    @Test
    void aRestartedProcessContinuesAfterTheReservedBlock() {
        javax.sql.DataSource ds = migrated();
        long before = new IdBlocks(ds).next("setl_id");
        long after = new IdBlocks(ds).next("setl_id");
        assertEquals(before + IdBlocks.BLOCK, after);
    }
}
