package org.medsettle.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.medsettle.api.health.HealthResult;
import org.medsettle.api.store.AppliedMigration;
import org.medsettle.api.store.Database;
import org.medsettle.api.store.StoreException;

/** What the database is, where, how big, which schema; health; backups. */
final class JdbcDatabase implements Database {

    private final DataSource dataSource;
    private final SchemaMigrator migrator;
    private final int expectedSchemaVersion;
    private final String product;
    private final String location;
    private final Dialect dialect;

    /** Reads what the database is once; the DataSource must be reachable. */
    JdbcDatabase(DataSource dataSource, SchemaMigrator migrator, int expectedSchemaVersion) {
        this.dataSource = dataSource;
        this.migrator = migrator;
        this.expectedSchemaVersion = expectedSchemaVersion;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            this.product = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
            this.dialect = Dialect.of(meta.getDatabaseProductName());
            this.location = dialect.location(meta.getURL());
        } catch (SQLException e) {
            throw new StoreException("cannot open the database: " + SchemaMigrator.describe(e), e);
        }
    }

    @Override
    public String product() {
        return product;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public OptionalLong sizeBytes() {
        try (Connection connection = dataSource.getConnection()) {
            return dialect.sizeBytes(connection, location);
        } catch (SQLException e) {
            throw new StoreException("cannot measure the database: " + SchemaMigrator.describe(e), e);
        }
    }

    @Override
    public int schemaVersion() {
        List<AppliedMigration> applied = migrations();
        return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).version();
    }

    @Override
    public List<AppliedMigration> migrations() {
        try {
            return migrator.appliedMigrations();
        } catch (MigrationException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public Path backup(Path targetDirectory) {
        if (dialect != Dialect.DERBY || location.startsWith("memory:")) {
            throw new StoreException("this node's database (" + product + ") is backed up by its own tools"
                    + (dialect == Dialect.POSTGRESQL ? " (pg_dump or continuous archiving)" : "")
                    + ", not by the node");
        }
        Path target = targetDirectory.toAbsolutePath().normalize();
        Path copy = target.resolve(Path.of(location).getFileName());
        if (Files.exists(copy)) {
            throw new StoreException("backup target already holds a database: " + copy + "; choose an empty directory");
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new StoreException("cannot create backup directory " + target + ": " + e.getMessage(), e);
        }
        try (Connection connection = dataSource.getConnection();
             CallableStatement call = connection.prepareCall("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
            call.setString(1, target.toString());
            call.execute();
            return copy;
        } catch (SQLException e) {
            throw new StoreException("backup to " + target + " failed: " + SchemaMigrator.describe(e), e);
        }
    }

    Dialect dialect() {
        return dialect;
    }

    /** Below this much free space on the database's disk, health fails: a full disk stops the database. */
    static final long MIN_FREE_BYTES = 64L * 1024 * 1024;

    /**
     * OK when a connection answers, the schema is at the version this bundle ships and the disk has room; a FAIL says
     * what to do.
     */
    HealthResult health() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(5)) {
                return HealthResult.fail("database at " + location + " does not answer; restart the instance "
                        + "(bin/stop, bin/start) and read its log (data/log/karaf.log, data/log/derby-0.log)");
            }
        } catch (SQLException e) {
            OptionalLong free = freeBytes();
            boolean full = free.isPresent() && free.getAsLong() < MIN_FREE_BYTES;
            return HealthResult.fail("cannot use the database at " + location + ": " + SchemaMigrator.describe(e)
                    + ". " + (full ? "Only " + free.getAsLong() / (1024 * 1024) + " MiB are free on its disk. "
                    + DISK_FULL : advice(e)));
        }
        int version;
        try {
            version = schemaVersion();
        } catch (StoreException e) {
            return HealthResult.fail(e.getMessage());
        }
        if (version != expectedSchemaVersion) {
            return HealthResult.fail("database schema is at version " + version + ", expected " + expectedSchemaVersion);
        }
        OptionalLong free = freeBytes();
        if (free.isPresent() && free.getAsLong() < MIN_FREE_BYTES) {
            return HealthResult.fail("only " + free.getAsLong() / (1024 * 1024) + " MiB free on the disk of the database "
                    + "at " + location + " (at least " + MIN_FREE_BYTES / (1024 * 1024) + " MiB needed): free space now; "
                    + "a full disk stops the database and every settlement");
        }
        return HealthResult.ok(product + " at " + location + ", schema version " + version
                + (free.isPresent() ? ", " + free.getAsLong() / (1024 * 1024) + " MiB free" : ""));
    }

    /** Free space on the file system of an embedded database's directory; empty for a server database. */
    OptionalLong freeBytes() {
        try {
            Path dir = Path.of(location);
            if (!dir.isAbsolute()) {
                return OptionalLong.empty();
            }
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent();
            }
            return dir == null ? OptionalLong.empty() : OptionalLong.of(Files.getFileStore(dir).getUsableSpace());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static final String DISK_FULL = "The disk is full or failing: free space on the database's disk; the "
            + "database opens again by itself (restart the instance, bin/stop and bin/start, if it does not); "
            + "settlements committed before stay";

    /** What an operator does about a database that cannot be used, by what the driver said. */
    static String advice(SQLException e) {
        StringBuilder text = new StringBuilder();
        StringBuilder states = new StringBuilder();
        for (Throwable t : Transactions.chain(e)) {
            text.append(' ').append(String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT));
            if (t instanceof SQLException sql) {
                states.append(' ').append(sql.getSQLState());
            }
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String all = text.toString();
        if (all.contains("no space left") || all.contains("disk full") || all.contains("disk is full")
                || all.contains("could not be written to disk") || states.toString().matches(".*\\b(XSDG|XSLA|XSDF).*")) {
            return DISK_FULL;
        }
        if ("XJ004".equals(state) || all.contains("not found")) {
            return "The database directory is missing or unreadable: check MEDSETTLE_DB_DIR and the disk, restore a "
                    + "backup (medsettle:backup) if it is lost, then restart the instance";
        }
        if ("08006".equals(state) || "XJ015".equals(state) || state.startsWith("08")) {
            return "The database was shut down or the connection lost: restart the instance (bin/stop, bin/start)";
        }
        return "Read data/log/karaf.log and data/log/derby-0.log, then restart the instance (bin/stop, bin/start)";
    }
}
