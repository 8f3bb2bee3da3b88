package org.medsettle.store.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.medsettle.api.store.AppliedMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the newest shipped schema version. Each migration runs in its own transaction together
 * with its row in {@code schema_version}: it is applied whole or not at all (Derby and PostgreSQL both roll
 * back DDL). Refuses to run when the database was changed by a newer appliance, or when a migration that was
 * already applied no longer matches what is shipped.
 */
final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    static final String VERSION_TABLE = "schema_version";
    /** The versions of the schemas the other bundles ship (header {@code Medsettle-Schema}), per owner. */
    static final String OWNER_VERSION_TABLE = "schema_owner_version";

    private final DataSource dataSource;
    private final Clock clock;
    /** Whose migrations: null for the store's base schema ({@code schema_version}), else the owning bundle. */
    private final String owner;

    SchemaMigrator(DataSource dataSource, Clock clock) {
        this(dataSource, clock, null);
    }

    /**
     * Applies a bundle's own migrations ({@code folder} on {@code loader}, numbered per {@code owner}): what the schema
     * extender does when that bundle starts.
     *
     * @return the owner's schema version afterwards
     */
    static int migrateOwn(DataSource dataSource, ClassLoader loader, String folder, String owner) {
        return new SchemaMigrator(dataSource, Clock.systemUTC(), owner).migrate(new MigrationLoader(loader, folder).load());
    }

    /** A migrator of {@code owner}'s own schema, kept in {@code schema_owner_version}. */
    SchemaMigrator(DataSource dataSource, Clock clock, String owner) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.owner = owner;
    }

    private String table() {
        return owner == null ? VERSION_TABLE : OWNER_VERSION_TABLE;
    }

    private String ownerCondition() {
        return owner == null ? "" : " WHERE owner = ?";
    }

    private String what() {
        return owner == null ? "schema" : owner + "'s schema";
    }

    /**
     * Applies every shipped migration the database does not have yet.
     *
     * @return the schema version afterwards
     * @throws MigrationException if the database cannot be brought to the shipped version; it is then left at
     *                            the last version that applied completely
     */
    int migrate(List<Migration> shipped) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            ensureVersionTable(connection);
            NavigableMap<Integer, AppliedMigration> applied = applied(connection);
            verifyApplied(shipped, applied);
            int version = applied.isEmpty() ? 0 : applied.lastKey();
            for (Migration migration : shipped) {
                if (applied.containsKey(migration.version())) {
                    continue;
                }
                apply(connection, migration, version);
                version = migration.version();
            }
            return version;
        } catch (SQLException e) {
            throw new MigrationException("cannot read the " + what() + " version: " + describe(e), e);
        }
    }

    List<AppliedMigration> appliedMigrations() {
        try (Connection connection = dataSource.getConnection()) {
            return new ArrayList<>(applied(connection).values());
        } catch (SQLException e) {
            throw new MigrationException("cannot read the schema version: " + describe(e), e);
        }
    }

    private void verifyApplied(List<Migration> shipped, Map<Integer, AppliedMigration> applied) {
        int newestShipped = shipped.isEmpty() ? 0 : shipped.get(shipped.size() - 1).version();
        for (AppliedMigration done : applied.values()) {
            if (done.version() > newestShipped) {
                throw new MigrationException("the database is at " + what() + " version " + done.version()
                        + " but this appliance knows only up to " + newestShipped
                        + ": it was used by a newer medsettle; start that version, or restore a backup made before it");
            }
        }
        for (Migration migration : shipped) {
            AppliedMigration done = applied.get(migration.version());
            if (done != null && !done.checksum().equals(migration.checksum())) {
                throw new MigrationException("migration V" + migration.version() + " (" + migration.description()
                        + ") differs from the one applied to this database on " + done.appliedAt()
                        + ": a released migration must never be edited; ship the change as a new migration");
            }
        }
    }

    private void apply(Connection connection, Migration migration, int fromVersion) {
        List<String> statements = expanded(connection, migration, fromVersion);
        int index = 0;
        try {
            for (String sql : statements) {
                index++;
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table()
                    + " (version, description, checksum, applied_at" + (owner == null ? "" : ", owner")
                    + ") VALUES (?, ?, ?, ?" + (owner == null ? "" : ", ?") + ")")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.description());
                insert.setString(3, migration.checksum());
                insert.setTimestamp(4, Timestamp.from(clock.instant()));
                if (owner != null) {
                    insert.setString(5, owner);
                }
                insert.executeUpdate();
            }
            connection.commit();
            LOG.info("Applied {} migration V{} ({})", what(), migration.version(), migration.description());
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            if (appliedMeanwhile(migration)) {
                LOG.info("{} migration V{} was applied meanwhile by another node", what(), migration.version());
                return;
            }
            String where = index <= statements.size() && index > 0
                    ? "statement " + index + " of " + statements.size() + " (" + excerpt(statements.get(index - 1)) + ")"
                    : "recording it in " + table();
            throw new MigrationException(what() + " migration V" + migration.version() + " (" + migration.description()
                    + ") failed at " + where + ": " + describe(e) + "; it was rolled back and the database is unchanged"
                    + " at " + what() + " version " + fromVersion, e);
        }
    }

    /**
     * The migration's statements for this database, its placeholders expanded ({@link Dialect#expand}); the checksum
     * stays the script's as written, the same on every database.
     */
    private List<String> expanded(Connection connection, Migration migration, int fromVersion) {
        try {
            Dialect dialect = Dialect.of(connection.getMetaData().getDatabaseProductName());
            List<String> statements = new ArrayList<>();
            for (String written : migration.statements()) {
                statements.add(dialect.expand(written));
            }
            return statements;
        } catch (SQLException | IllegalArgumentException e) {
            throw new MigrationException(what() + " migration V" + migration.version() + " (" + migration.description()
                    + ") cannot be applied: " + (e instanceof SQLException sql ? describe(sql) : e.getMessage())
                    + "; the database is unchanged at " + what() + " version " + fromVersion, e);
        }
    }

    /** Several nodes sharing one PostgreSQL may start together: the loser of the race finds the row there. */
    private boolean appliedMeanwhile(Migration migration) {
        try (Connection connection = dataSource.getConnection()) {
            AppliedMigration done = applied(connection).get(migration.version());
            return done != null && done.checksum().equals(migration.checksum());
        } catch (SQLException e) {
            return false;
        }
    }

    private void ensureVersionTable(Connection connection) throws SQLException {
        if (tableExists(connection, table())) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(owner == null
                    ? "CREATE TABLE " + VERSION_TABLE + " ("
                    + "version INT NOT NULL PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, "
                    + "checksum VARCHAR(64) NOT NULL, "
                    + "applied_at TIMESTAMP NOT NULL)"
                    : "CREATE TABLE " + OWNER_VERSION_TABLE + " ("
                    + "owner VARCHAR(100) NOT NULL, "
                    + "version INT NOT NULL, "
                    + "description VARCHAR(200) NOT NULL, "
                    + "checksum VARCHAR(64) NOT NULL, "
                    + "applied_at TIMESTAMP NOT NULL, "
                    + "PRIMARY KEY (owner, version))");
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            if (!tableExists(connection, table())) {
                throw e;
            }
        }
    }

    static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private NavigableMap<Integer, AppliedMigration> applied(Connection connection) throws SQLException {
        NavigableMap<Integer, AppliedMigration> applied = new TreeMap<>();
        if (!tableExists(connection, table())) {
            return applied;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT version, description, checksum, "
                + "applied_at FROM " + table() + ownerCondition() + " ORDER BY version")) {
            if (owner != null) {
                statement.setString(1, owner);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), new AppliedMigration(rs.getInt(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return applied;
    }

    private static void rollbackQuietly(Connection connection, SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String excerpt(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    static String describe(SQLException e) {
        return e.getMessage() + " [SQLState " + e.getSQLState() + "]";
    }
}
