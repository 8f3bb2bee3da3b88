package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.store.StoreException;

class TransactionsTest {

    private EmbeddedDataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        ds = Derby.inMemory();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY, n INT)");
            s.executeUpdate("INSERT INTO t VALUES (1, 0), (2, 0)");
            // find the deadlock after 1 s instead of Derby's 20 s
            s.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.deadlockTimeout', '1')");
        }
    }

    @AfterEach
    void tearDown() {
        Derby.shutdown(ds);
    }

    @Test
    void aTransactionThatLostALockConflictIsRunAgainAndCommitsOnce() {
        AtomicInteger runs = new AtomicInteger();
        int n = Transactions.inTransaction(ds, "count", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET n = n + 1 WHERE id = 1")) {
                ps.executeUpdate();
            }
            if (runs.incrementAndGet() < 3) {
                throw new SQLException("A lock could not be obtained within the time requested", "40XL1");
            }
            return value(c, 1);
        });
        assertEquals(3, runs.get());
        assertEquals(1, n, "the rolled-back attempts left nothing");
    }

    @Test
    void aConflictThatPersistsReachesTheCallerAfterTheLastAttemptAndChangesNothing() throws SQLException {
        AtomicInteger runs = new AtomicInteger();
        StoreException e = assertThrows(StoreException.class, () -> Transactions.inTransaction(ds, "count", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET n = n + 1 WHERE id = 1")) {
                ps.executeUpdate();
            }
            runs.incrementAndGet();
            throw new SQLException("deadlock", "40001");
        }));
        assertEquals(Transactions.ATTEMPTS, runs.get());
        assertTrue(e.getMessage().contains("after " + Transactions.ATTEMPTS + " attempts"), e.getMessage());
        try (Connection c = ds.getConnection()) {
            assertEquals(0, value(c, 1));
        }
    }

    @Test
    void anotherFailureIsNotRunAgain() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(StoreException.class, () -> Transactions.inTransaction(ds, "insert", c -> {
            runs.incrementAndGet();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (1, 0)")) {
                ps.executeUpdate();
            }
            return null;
        }));
        assertEquals(1, runs.get());
    }

    @Test
    void twoTransactionsInADeadlockBothCommitInTheEnd() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch bothLocked = new CountDownLatch(2);
        AtomicInteger attempts = new AtomicInteger();
        try {
            Future<?> a = pool.submit(() -> crossUpdate(1, 2, bothLocked, attempts));
            Future<?> b = pool.submit(() -> crossUpdate(2, 1, bothLocked, attempts));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(2, value(c, 1));
            assertEquals(2, value(c, 2));
        }
        assertTrue(attempts.get() > 2, "one of them was a deadlock victim and ran again: " + attempts.get());
    }

    private void crossUpdate(int first, int second, CountDownLatch bothLocked, AtomicInteger attempts) {
        Transactions.inTransaction(ds, "cross update", c -> {
            boolean firstAttempt = attempts.incrementAndGet() <= 2;
            try (PreparedStatement ps = c.prepareStatement("UPDATE t SET n = n + 1 WHERE id = ?")) {
                ps.setInt(1, first);
                ps.executeUpdate();
                if (firstAttempt) {
                    bothLocked.countDown();
                    try {
                        bothLocked.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                ps.setInt(1, second);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static int value(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n FROM t WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
