package org.medsettle.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.store.internal.StoreComponent;

/**
 * For other bundles' tests: the real store (every migration applied) on a fresh in-memory Derby database. The
 * returned component is every store service at once (Transactor, AuditLog, PersonStore, ...).
 *
 * <p>A fresh store is a copy of a template the test JVM migrated once ({@link #fresh(OwnSchema...)}): applying the
 * migrations to every test's new database was most of the module tests' time (72 % of {@code HisTransactionsTest}'s
 * samples were its set-up, most of them DDL; docs/stack.md, "The suite's time"). The migrations themselves are still
 * run for real on new databases by the store's own tests ({@code SchemaMigratorTest}, {@link #inMemory()}).
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
        return fresh(new OwnSchema[0]);
    }

    /**
     * A bundle's own tables: its migrations ({@code folder} on {@code loader}, numbered per {@code owner}), as
     * {@link StoreComponent#applyOwnSchema} applies them when that bundle starts.
     */
    public record OwnSchema(ClassLoader loader, String folder, String owner) {

        /** The own schema of the bundle that holds {@code bundleClass}. */
        public static OwnSchema of(Class<?> bundleClass, String folder, String owner) {
            return new OwnSchema(bundleClass.getClassLoader(), folder, owner);
        }
    }

    /**
     * As {@link #fresh()}, with {@code own} bundles' tables too: a copy of a template database that this test JVM
     * made once for these schemas, in this order (Derby: restored from a backup, {@code createFrom}; PostgreSQL:
     * {@code CREATE DATABASE ... TEMPLATE}). The copy is what the migrations leave, their version rows included;
     * {@link StoreComponent#applyOwnSchema} on it finds nothing left to apply.
     */
    public static StoreComponent fresh(OwnSchema... own) {
        List<OwnSchema> schemas = List.of(own);
        String key = schemas.stream().map(o -> o.owner() + "@" + o.folder() + "@"
                + System.identityHashCode(o.loader())).collect(Collectors.joining(","));
        if (onPostgresql()) {
            PostgresServer server = PostgresServer.shared();
            String template = PG_TEMPLATES.computeIfAbsent(key, k -> server.template(ds -> migrated(ds, schemas)));
            return new StoreComponent(server.newPooledDatabase(template));
        }
        Path backup = DERBY_TEMPLATES.computeIfAbsent(key, k -> derbyTemplate(schemas));
        String name = "memory:store-" + UUID.randomUUID();
        try (Connection created = DriverManager.getConnection("jdbc:derby:" + name + ";createFrom=" + backup)) {
            created.getMetaData();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the template database " + backup + ": " + e.getMessage(), e);
        }
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(name);
        return new StoreComponent(ds);
    }

    /** Derby's templates: the backups' directories, by the schemas they hold. */
    private static final Map<String, Path> DERBY_TEMPLATES = new ConcurrentHashMap<>();
    /** PostgreSQL's templates: the template databases' names on {@link PostgresServer#shared()}, by their schemas. */
    private static final Map<String, String> PG_TEMPLATES = new ConcurrentHashMap<>();

    private static void migrated(javax.sql.DataSource dataSource, List<OwnSchema> own) {
        StoreComponent store = new StoreComponent(dataSource);
        for (OwnSchema o : own) {
            store.applyOwnSchema(o.loader(), o.folder(), o.owner());
        }
    }

    /** A migrated in-memory database backed up into a temporary directory (removed when the JVM exits). */
    private static Path derbyTemplate(List<OwnSchema> own) {
        String name = "template-" + UUID.randomUUID();
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:" + name);
        ds.setCreateDatabase("create");
        migrated(ds, own);
        try {
            Path dir = Files.createTempDirectory("medsettle-store-template-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE('" + dir + "')");
            }
            try {
                DriverManager.getConnection("jdbc:derby:memory:" + name + ";drop=true").close();
            } catch (SQLException dropped) {
                // 08006: dropped, its memory freed
            }
            return dir.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot back up the template database: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system's cleaning takes what is left
        }
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
