package org.medsettle.store.testing;

import java.util.UUID;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.store.internal.StoreComponent;

/**
 * For other bundles' tests: the real store (every migration applied) on a fresh in-memory Derby database. The
 * returned component is every store service at once (Transactor, AuditLog, PersonStore, ...).
 */
public final class TestStores {

    private TestStores() {
    }

    /** A store on a Derby database in {@code dir}, and what a test needs to take that database away and back. */
    public record OnDisk(StoreComponent store, java.nio.file.Path dir, EmbeddedDataSource dataSource) {

        /**
         * The database becomes unusable as after a failed disk: shut down, its directory moved aside; every
         * connection fails with Derby's "Database ... not found" (nothing is created in its place).
         */
        public void takeAway() throws java.io.IOException {
            EmbeddedDataSource stop = new EmbeddedDataSource();
            stop.setDatabaseName(dir.toString());
            stop.setShutdownDatabase("shutdown");
            try {
                stop.getConnection().close();
            } catch (java.sql.SQLException expected) {
                // 08006: shut down
            }
            java.nio.file.Files.move(dir, dir.resolveSibling(dir.getFileName() + ".away"));
        }

        /** The database is back where it was; the next connection boots it. */
        public void bringBack() throws java.io.IOException {
            java.nio.file.Files.move(dir.resolveSibling(dir.getFileName() + ".away"), dir);
        }
    }

    /** The real store on a database in {@code dir} (created now, never re-created: see {@link OnDisk#takeAway}). */
    public static OnDisk inDirectory(java.nio.file.Path dir) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toAbsolutePath().toString());
        ds.setCreateDatabase("create");
        try {
            ds.getConnection().close();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        ds.setCreateDatabase(null);
        return new OnDisk(new StoreComponent(ds), dir.toAbsolutePath(), ds);
    }

    /** System property naming the database of {@link #fresh()}: {@code derby} (the default) or {@code postgresql}. */
    public static final String DATABASE_PROPERTY = "medsettle.test.database";

    /**
     * The real store on a new database: in-memory Derby, or — with {@code -Dmedsettle.test.database=postgresql} — a
     * new database on the test JVM's PostgreSQL server ({@link PostgresServer}).
     */
    public static StoreComponent fresh() {
        return onPostgresql() ? onPostgresql(PostgresServer.shared()) : inMemory();
    }

    /** A store with what is done through it counted. */
    public record Counted(StoreComponent store, CountingDataSource counter) {
    }

    /** As {@link #fresh()}, every connection, commit and statement counted ({@link CountingDataSource}). */
    public static Counted freshCounted() {
        CountingDataSource counter = new CountingDataSource(onPostgresql() ? PostgresServer.shared().newPooledDatabase()
                : newInMemoryDerby());
        return new Counted(new StoreComponent(counter.dataSource()), counter);
    }

    /** Whether this test JVM's stores are on PostgreSQL ({@value #DATABASE_PROPERTY}). */
    public static boolean onPostgresql() {
        String db = System.getProperty(DATABASE_PROPERTY, "derby");
        if (!db.equals("derby") && !db.equals("postgresql")) {
            throw new IllegalArgumentException(DATABASE_PROPERTY + " = " + db + ": derby or postgresql");
        }
        return db.equals("postgresql");
    }

    /** The real store on a new database of {@code server}. */
    public static StoreComponent onPostgresql(PostgresServer server) {
        return new StoreComponent(server.newPooledDatabase());
    }

    /** The real store on a new in-memory Derby database. */
    public static StoreComponent inMemory() {
        return new StoreComponent(newInMemoryDerby());
    }

    private static EmbeddedDataSource newInMemoryDerby() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:store-" + UUID.randomUUID());
        ds.setCreateDatabase("create");
        return ds;
    }
}
