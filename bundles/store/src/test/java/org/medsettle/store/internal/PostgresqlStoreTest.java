package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.StoreException;
import org.medsettle.store.testing.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

/** The store as it runs on a real PostgreSQL server (issue 13): the same migrations, its health, what it refuses. */
class PostgresqlStoreTest {

    private final PostgresServer server = PostgresServer.shared();

    @Test
    void everyShippedMigrationAppliesAndHealthNamesTheDatabaseWithoutCredentials() {
        PGSimpleDataSource ds = server.newDatabase();
        ds.setPassword("not-shown");
        StoreComponent store = new StoreComponent(ds);

        assertEquals(MigrationLoader.shipped().load().size(), store.schemaVersion());
        assertTrue(store.product().startsWith("PostgreSQL"), store.product());
        assertEquals(server.url(ds.getDatabaseName()), store.location());
        assertTrue(store.sizeBytes().isPresent() && store.sizeBytes().getAsLong() > 0);
        HealthResult health = store.check();
        assertTrue(health.ok(), health.detail());
        assertTrue(health.detail().contains("PostgreSQL"), health.detail());
        assertTrue(!health.detail().contains("not-shown"), health.detail());
    }

    @Test
    void aTestStoreOnPostgresqlKeepsItsConnectionsAsTheAppliancesPoolDoesAndClosesThemOnceIdle() throws Exception {
        // PostgreSQL starts a server process per connection: without a pool every transaction of a test paid one
        javax.sql.DataSource pooled = server.newPooledDatabase();
        String database;
        int first;
        try (Connection c = pooled.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid(), current_database()")) {
            rs.next();
            first = rs.getInt(1);
            database = rs.getString(2);
        }
        try (Connection c = pooled.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            assertEquals(first, rs.getInt(1), "the second transaction on the connection of the first");
        }
        // the stores of tests that ended keep none of the server's max_connections
        PGSimpleDataSource watcher = server.dataSource(database);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> connectionsTo(watcher, database) == 0);
    }

    private static int connectionsTo(PGSimpleDataSource watcher, String database) throws SQLException {
        try (Connection c = watcher.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void theNodeDoesNotBackUpPostgresqlAndSaysWhatDoes() {
        StoreComponent store = new StoreComponent(server.newDatabase());
        StoreException e = assertThrows(StoreException.class, () -> store.backup(Path.of("/tmp/never")));
        assertTrue(e.getMessage().contains("pg_dump"), e.getMessage());
    }

    @Test
    void instancesStartingTogetherOnOneDatabaseMigrateItOnce() throws Exception {
        PGSimpleDataSource ds = server.newDatabase();
        int instances = 4;
        CyclicBarrier together = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<StoreComponent>> started = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            started.add(pool.submit((Callable<StoreComponent>) () -> {
                together.await();
                return new StoreComponent(ds);
            }));
        }
        for (Future<StoreComponent> f : started) {
            assertEquals(MigrationLoader.shipped().load().size(), f.get().schemaVersion());
        }
        pool.shutdown();
        assertEquals(MigrationLoader.shipped().load().size(), started.get(0).get().migrations().size(),
                "each migration recorded once");
    }

    @Test
    void auditRecordsAndTransactionsWorkAsOnDerby() {
        StoreComponent store = new StoreComponent(server.newDatabase());
        store.record(new AuditEvent(Instant.parse("2026-11-23T08:00:00Z"), "admin", AuditChannel.CONSOLE,
                "FILING_ADDED", "F1", "详情"));
        assertEquals("详情", store.recent(1, Optional.empty()).get(0).event().detail());
        // Derby's index override in the query of one type is a comment here
        assertEquals("F1", store.recent(5, Optional.of("FILING_ADDED")).get(0).event().subject());
        assertEquals(List.of(), store.recent(5, Optional.of("NOTHING")));
        long a = store.nextId("setl_id");
        assertEquals(a + 1, store.nextId("setl_id"));
        StoreException e = assertThrows(StoreException.class, () -> store.inTransaction("fail on purpose", c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("INSERT INTO audit_event (occurred_at) VALUES (CURRENT_TIMESTAMP)");
            }
            return null;
        }));
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    }

    @Test
    void aDeadlockOnPostgresqlIsALockConflictToRetry() throws SQLException {
        PGSimpleDataSource ds = server.newDatabase();
        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE pair (id INT PRIMARY KEY, v INT)");
            st.execute("INSERT INTO pair VALUES (1, 0), (2, 0)");
        }
        SQLException deadlock = null;
        try (Connection a = ds.getConnection(); Connection b = ds.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().executeUpdate("UPDATE pair SET v = 1 WHERE id = 1");
            b.createStatement().executeUpdate("UPDATE pair SET v = 1 WHERE id = 2");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> waiting = pool.submit(() -> {
                a.createStatement().executeUpdate("UPDATE pair SET v = 2 WHERE id = 2");
                return null;
            });
            try {
                b.createStatement().executeUpdate("UPDATE pair SET v = 2 WHERE id = 1");
            } catch (SQLException e) {
                deadlock = e;
            }
            try {
                waiting.get();
            } catch (java.util.concurrent.ExecutionException e) {
                deadlock = (SQLException) e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool.shutdown();
            a.rollback();
            b.rollback();
        }
        assertTrue(deadlock != null, "one of the two is chosen as the victim");
        assertEquals("40P01", deadlock.getSQLState());
        assertTrue(Transactions.lockConflict(deadlock), "retried like Derby's 40001");
    }
}
