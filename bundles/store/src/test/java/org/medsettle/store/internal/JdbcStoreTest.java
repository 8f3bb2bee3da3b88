package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditRecord;
import org.medsettle.api.store.StoreException;

class JdbcStoreTest {

    @TempDir
    Path tmp;

    private static AuditEvent event(String type, String subject) {
        return new AuditEvent(Instant.parse("2026-11-23T08:00:00Z"), "admin", AuditChannel.CONSOLE, type, subject, "detail of " + subject);
    }

    private static JdbcDatabase open(EmbeddedDataSource ds) {
        SchemaMigrator migrator = new SchemaMigrator(ds, Clock.systemUTC());
        int version = migrator.migrate(MigrationLoader.shipped().load());
        return new JdbcDatabase(ds, migrator, version);
    }

    @Test
    void auditEventsComeBackNewestFirstAndCanBeFilteredByType() {
        EmbeddedDataSource ds = Derby.inMemory();
        open(ds);
        JdbcAuditLog log = new JdbcAuditLog(ds);
        AuditRecord first = log.record(event("FILING_ADDED", "F1"));
        AuditRecord second = log.record(event("INSTANCE_STARTED", "boot-1"));
        AuditRecord third = log.record(event("FILING_ADDED", "F2"));

        assertTrue(first.id() < second.id() && second.id() < third.id());
        assertEquals(List.of(third, second, first), log.recent(10, Optional.empty()));
        assertEquals(List.of(third), log.recent(1, Optional.empty()));
        assertEquals(List.of(third, first), log.recent(10, Optional.of("FILING_ADDED")));
        assertEquals(List.of(), log.recent(10, Optional.of("NOTHING")));
    }

    @Test
    void auditLimitsOutsideTheRangeAreRefused() {
        EmbeddedDataSource ds = Derby.inMemory();
        open(ds);
        JdbcAuditLog log = new JdbcAuditLog(ds);
        assertThrows(IllegalArgumentException.class, () -> log.recent(0, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> log.recent(JdbcAuditLog.MAX_LIMIT + 1, Optional.empty()));
    }

    @Test
    void whatWasRecordedSurvivesTheDatabaseBeingShutDownAndReopened() {
        EmbeddedDataSource ds = Derby.inDirectory(tmp.resolve("db"));
        open(ds);
        new JdbcAuditLog(ds).record(event("SETTLED", "S1"));
        Derby.shutdown(ds);

        JdbcDatabase reopened = open(Derby.inDirectory(tmp.resolve("db")));
        assertEquals(MigrationLoader.shipped().load().size(), reopened.schemaVersion());
        assertEquals("S1", new JdbcAuditLog(Derby.inDirectory(tmp.resolve("db"))).recent(5, Optional.empty()).get(0).event().subject());
    }

    @Test
    void aDerbyDatabaseInADirectoryReportsItsLocationAndSize() {
        EmbeddedDataSource ds = Derby.inDirectory(tmp.resolve("db"));
        JdbcDatabase database = open(ds);
        assertEquals(tmp.resolve("db").toAbsolutePath().toString(), database.location());
        assertTrue(database.product().startsWith("Apache Derby"), database.product());
        assertTrue(database.sizeBytes().orElse(0) > 100_000, "size " + database.sizeBytes());
    }

    @Test
    void healthIsOkWithProductLocationAndSchemaVersion() {
        JdbcDatabase database = open(Derby.inMemory());
        HealthResult health = database.health();
        assertTrue(health.ok(), health.detail());
        assertTrue(health.detail().contains("schema version " + MigrationLoader.shipped().load().size()), health.detail());
    }

    @Test
    void healthFailsWhenTheSchemaIsNotTheShippedOne() {
        EmbeddedDataSource ds = Derby.inMemory();
        SchemaMigrator migrator = new SchemaMigrator(ds, Clock.systemUTC());
        migrator.migrate(MigrationLoader.shipped().load());
        HealthResult health = new JdbcDatabase(ds, migrator, 99).health();
        assertFalse(health.ok());
        assertTrue(health.detail().contains("expected 99"), health.detail());
    }

    @Test
    void anOnlineBackupIsACompleteDatabaseThatOpensOnItsOwn() {
        EmbeddedDataSource ds = Derby.inDirectory(tmp.resolve("live/medsettle"));
        JdbcDatabase database = open(ds);
        new JdbcAuditLog(ds).record(event("SETTLED", "S42"));

        Path copy = database.backup(tmp.resolve("backups/b1"));

        assertEquals(tmp.resolve("backups/b1/medsettle").toAbsolutePath(), copy);
        assertTrue(Files.isDirectory(copy));
        EmbeddedDataSource restored = new EmbeddedDataSource();
        restored.setDatabaseName(copy.toString());
        assertEquals("S42", new JdbcAuditLog(restored).recent(1, Optional.empty()).get(0).event().subject());
        Derby.shutdown(restored);
    }

    @Test
    void aBackupNeverOverwritesAnEarlierOne() {
        EmbeddedDataSource ds = Derby.inDirectory(tmp.resolve("live/medsettle"));
        JdbcDatabase database = open(ds);
        database.backup(tmp.resolve("backups/b1"));
        StoreException e = assertThrows(StoreException.class, () -> database.backup(tmp.resolve("backups/b1")));
        assertTrue(e.getMessage().contains("already holds a database"), e.getMessage());
    }

    @Test
    void anInMemoryDatabaseCannotBeBackedUpByTheNode() {
        JdbcDatabase database = open(Derby.inMemory());
        assertThrows(StoreException.class, () -> database.backup(tmp.resolve("b")));
    }

    @Test
    void locationsNeverShowCredentialsOrAttributes() {
        assertEquals("jdbc:postgresql://db.example:5432/medsettle",
                Dialect.POSTGRESQL.location("jdbc:postgresql://user:secret@db.example:5432/medsettle?password=secret"));
        assertEquals("/srv/medsettle/db", Dialect.DERBY.location("jdbc:derby:/srv/medsettle/db;create=true"));
        assertEquals("memory:x", Dialect.DERBY.location("jdbc:derby:memory:x"));
        assertEquals(Dialect.DERBY, Dialect.of("Apache Derby"));
        assertEquals(Dialect.POSTGRESQL, Dialect.of("PostgreSQL"));
    }
}
