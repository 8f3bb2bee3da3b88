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

    /**
     * Every pooled connection held by a transaction that asks for a number while the block is used up: the one that
     * reserves the next block waits for a connection of the pool that none of the others will give back. With the
     * pool's wait limited (dbcp2's {@code maxWaitMillis}, 10 s in the shipped settings) it fails after that wait and
     * gives its own back; the others get their numbers. Without the limit the node stopped for good (docs/stack.md,
     * trap 60).
     */
    @Test
    void transactionsHoldingEveryPooledConnectionAndWaitingForNumbersCostOneFailureNotAStoppedNode() throws Exception {
        int poolSize = 4;
        BoundedPool pool = new BoundedPool(migrated(), poolSize, 500);
        IdBlocks ids = new IdBlocks(pool);
        for (int i = 0; i < IdBlocks.BLOCK; i++) {
            ids.next("setl_id");
        }
        java.util.concurrent.CyclicBarrier allHolding = new java.util.concurrent.CyclicBarrier(poolSize);
        // daemon threads: were they stuck for ever (the bug this test is about), the test JVM still ends
        java.util.concurrent.ExecutorService clerks = java.util.concurrent.Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "clerk");
            t.setDaemon(true);
            return t;
        });
        java.util.List<java.util.concurrent.Future<Long>> numbers = new java.util.ArrayList<>();
        for (int i = 0; i < poolSize; i++) {
            numbers.add(clerks.submit(() -> Transactions.inTransaction(pool, "a settlement", c -> {
                try {
                    allHolding.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return ids.next("setl_id");
            })));
        }
        Set<Long> seen = new HashSet<>();
        int failed = 0;
        for (java.util.concurrent.Future<Long> f : numbers) {
            try {
                assertTrue(seen.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS)), "distinct: " + seen);
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof org.medsettle.api.store.StoreException, e::toString);
                failed++;
            }
        }
        clerks.shutdownNow();
        assertEquals(1, failed, "the one that waited for the pool");
        assertEquals(poolSize - 1, seen.size());
        assertEquals(seen.size(), seen.stream().distinct().count());
    }

    /**
     * A pool of at most {@code size} connections: a borrower waits, as dbcp2's does, until one is returned, for at most
     * {@code waitMillis} (dbcp2's {@code maxWaitMillis}), then fails.
     */
    private static final class BoundedPool implements javax.sql.DataSource {
        private final javax.sql.DataSource database;
        private final java.util.concurrent.Semaphore free;

        private final long waitMillis;

        BoundedPool(javax.sql.DataSource database, int size, long waitMillis) {
            this.database = database;
            this.free = new java.util.concurrent.Semaphore(size);
            this.waitMillis = waitMillis;
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            try {
                if (!free.tryAcquire(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new java.sql.SQLException("Timeout waiting for idle object");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.sql.SQLException("interrupted waiting for a connection");
            }
            java.sql.Connection real = database.getConnection();
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                        if ("close".equals(method.getName()) && closed.compareAndSet(false, true)) {
                            free.release();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
            return getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
            throw new java.sql.SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
