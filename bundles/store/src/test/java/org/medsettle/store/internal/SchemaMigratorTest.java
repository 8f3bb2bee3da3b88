package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    /** The database of each test: in-memory Derby here, PostgreSQL in {@link SchemaMigratorOnPostgresqlTest}. */
    DataSource newDatabase() {
        return Derby.inMemory();
    }

    private final DataSource ds = newDatabase();
    private final SchemaMigrator migrator = new SchemaMigrator(ds, Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC));

    private static List<Migration> load(String folder) {
        return new MigrationLoader(SchemaMigratorTest.class.getClassLoader(), "migrations/" + folder).load();
    }

    @Test
    void eachOwnerHasItsOwnVersionsBesideTheBaseSchema() throws SQLException {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC);
        assertEquals(1, migrator.migrate(load("good").subList(0, 1)), "the base schema");
        SchemaMigrator hub = new SchemaMigrator(ds, clock, "medsettle-hub");
        SchemaMigrator other = new SchemaMigrator(ds, clock, "medsettle-other");
        assertEquals(1, hub.migrate(load("owned")));
        assertEquals(1, hub.migrate(load("owned")), "nothing applied twice");
        assertEquals(List.of(), other.appliedMigrations(), "another owner's V1 is not this one's");
        assertEquals(List.of(1), hub.appliedMigrations().stream().map(m -> m.version()).toList());
        assertEquals(1, count("SELECT COUNT(*) FROM owned_thing"));
        assertEquals(List.of(1), migrator.appliedMigrations().stream().map(m -> m.version()).toList(),
                "the base schema's history is untouched");
        MigrationException edited = assertThrows(MigrationException.class, () -> hub.migrate(List.of(
                Migration.fromFile("V1__owned.sql", "CREATE TABLE owned_thing (id INT NOT NULL, extra INT);\n"))));
        assertTrue(edited.getMessage().contains("medsettle-hub's schema") || edited.getMessage().contains("differs"),
                edited.getMessage());
    }

    @Test
    void aFreshDatabaseGetsEveryMigrationInOrder() throws SQLException {
        assertEquals(2, migrator.migrate(load("good")));
        assertEquals(List.of(1, 2), migrator.appliedMigrations().stream().map(m -> m.version()).toList());
        assertEquals("first", migrator.appliedMigrations().get(0).description());
        assertEquals(Instant.parse("2026-11-23T08:00:00Z"), migrator.appliedMigrations().get(0).appliedAt());
        assertEquals(1, count("SELECT COUNT(*) FROM thing"));
    }

    @Test
    void migratingAgainAppliesNothingTwice() throws SQLException {
        migrator.migrate(load("good"));
        assertEquals(2, migrator.migrate(load("good")));
        assertEquals(1, count("SELECT COUNT(*) FROM thing"));
        assertEquals(2, count("SELECT COUNT(*) FROM schema_version"));
    }

    @Test
    void onlyTheMissingMigrationsAreAppliedToAnOlderDatabase() throws SQLException {
        migrator.migrate(load("good").subList(0, 1));
        assertEquals(2, migrator.migrate(load("good")));
        assertEquals(0, count("SELECT COUNT(*) FROM other"));
    }

    @Test
    void aFailingMigrationIsRolledBackWholeAndSaysWhereItFailed() throws SQLException {
        MigrationException e = assertThrows(MigrationException.class, () -> migrator.migrate(load("failing")));

        assertTrue(e.getMessage().contains("V2 (broken)"), e.getMessage());
        assertTrue(e.getMessage().contains("statement 3 of 3"), e.getMessage());
        assertTrue(e.getMessage().toUpperCase(java.util.Locale.ROOT).contains("NO_SUCH_TABLE"), e.getMessage());
        assertTrue(e.getMessage().contains("unchanged at schema version 1"), e.getMessage());
        // V1 stays, nothing of V2 remains: neither its table nor its row.
        assertEquals(List.of(1), migrator.appliedMigrations().stream().map(m -> m.version()).toList());
        try (Connection c = ds.getConnection()) {
            assertFalse(SchemaMigrator.tableExists(c, "half_done"));
        }
        assertEquals(1, count("SELECT COUNT(*) FROM thing"));
    }

    @Test
    void aDatabaseFromANewerApplianceIsRefused() {
        migrator.migrate(load("good"));
        MigrationException e = assertThrows(MigrationException.class, () -> migrator.migrate(load("good").subList(0, 1)));
        assertTrue(e.getMessage().contains("schema version 2"), e.getMessage());
        assertTrue(e.getMessage().contains("newer medsettle"), e.getMessage());
    }

    @Test
    void aReleasedMigrationEditedAfterwardsIsRefused() {
        migrator.migrate(load("good"));
        List<Migration> edited = new ArrayList<>(load("good"));
        edited.set(0, new Migration(1, "first", edited.get(0).script() + "\nDROP TABLE thing;"));
        MigrationException e = assertThrows(MigrationException.class, () -> migrator.migrate(edited));
        assertTrue(e.getMessage().contains("V1 (first) differs"), e.getMessage());
    }

    @Test
    void aBinaryColumnIsBytesOnEveryDatabaseAndTheChecksumIsTheScriptsAsWritten() throws SQLException {
        Migration binary = Migration.fromFile("V1__bytes.sql",
                "CREATE TABLE kept (id INT NOT NULL PRIMARY KEY, v ${binary(32000)});\n");
        assertEquals(1, migrator.migrate(List.of(binary)));
        byte[] value = new byte[32_000];
        new java.util.Random(26).nextBytes(value);
        try (Connection c = ds.getConnection()) {
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO kept VALUES (1, ?)")) {
                ps.setBytes(1, value);
                ps.executeUpdate();
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
                int type = rs.getMetaData().getColumnType(1);
                assertTrue(type == java.sql.Types.VARBINARY || type == java.sql.Types.BINARY
                        || type == java.sql.Types.LONGVARBINARY, "a column of bytes, not text: " + type + " "
                        + rs.getMetaData().getColumnTypeName(1));
                assertTrue(rs.next());
                assertTrue(java.util.Arrays.equals(value, rs.getBytes(1)), "the bytes as written");
            }
        }
        assertEquals(binary.checksum(), migrator.appliedMigrations().get(0).checksum());
        assertEquals(1, migrator.migrate(List.of(Migration.fromFile("V1__bytes.sql",
                "CREATE TABLE kept (id INT NOT NULL PRIMARY KEY, v ${binary(32000)});\n"))), "applied once");
    }

    @Test
    void anUnknownPlaceholderIsRefusedBeforeAnyOfItsStatementsRuns() throws SQLException {
        MigrationException e = assertThrows(MigrationException.class, () -> migrator.migrate(List.of(
                Migration.fromFile("V1__first.sql", "CREATE TABLE before_it (id INT);\nCREATE TABLE t (v ${clob});\n"))));
        assertTrue(e.getMessage().contains("V1 (first)"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown placeholder ${clob}"), e.getMessage());
        assertTrue(e.getMessage().contains("unchanged at schema version 0"), e.getMessage());
        try (Connection c = ds.getConnection()) {
            assertFalse(SchemaMigrator.tableExists(c, "before_it"));
        }
    }

    @Test
    void eachDatabaseGetsItsOwnBinaryType() {
        String sql = "CREATE TABLE t (a ${binary(100)}, b ${ binary(32000) })";
        assertEquals("CREATE TABLE t (a VARCHAR(100) FOR BIT DATA, b VARCHAR(32000) FOR BIT DATA)",
                Dialect.DERBY.expand(sql));
        assertEquals("CREATE TABLE t (a BYTEA, b BYTEA)", Dialect.POSTGRESQL.expand(sql));
        assertEquals("CREATE TABLE t (a VARBINARY(100), b VARBINARY(32000))", Dialect.OTHER.expand(sql));
        assertEquals("SELECT 1", Dialect.DERBY.expand("SELECT 1"));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> Dialect.DERBY.expand("CREATE TABLE t (a ${binary(32673)})"));
        assertTrue(tooLong.getMessage().contains("32672"), tooLong.getMessage());
    }

    @Test
    void theShippedMigrationsApply() {
        List<Migration> shipped = MigrationLoader.shipped().load();
        assertEquals(shipped.size(), migrator.migrate(shipped));
    }

    @Test
    void scriptsSplitIntoStatementsWithoutComments() {
        Migration m = new Migration(1, "x", "-- c\nCREATE TABLE a (\n  id INT\n);\n\nINSERT INTO a VALUES (1);\n");
        assertEquals(List.of("CREATE TABLE a (\n  id INT\n)", "INSERT INTO a VALUES (1)"), m.statements());
    }

    @Test
    void aScriptWithoutItsFinalSemicolonIsRefused() {
        Migration m = new Migration(3, "x", "CREATE TABLE a (id INT)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::statements);
        assertTrue(e.getMessage().contains("V3"), e.getMessage());
    }

    @Test
    void fileNamesMustCarryVersionAndDescription() {
        assertEquals(12, Migration.fromFile("V12__add_filings.sql", "").version());
        assertEquals("add filings", Migration.fromFile("V12__add_filings.sql", "").description());
        assertThrows(IllegalArgumentException.class, () -> Migration.fromFile("add_filings.sql", ""));
    }

    @Test
    void checksumsIgnoreLineEndingsButNotContent() {
        assertEquals(new Migration(1, "x", "A;\nB;\n").checksum(), new Migration(1, "x", "A;\r\nB;\r\n").checksum());
        assertFalse(new Migration(1, "x", "A;").checksum().equals(new Migration(1, "x", "B;").checksum()));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
