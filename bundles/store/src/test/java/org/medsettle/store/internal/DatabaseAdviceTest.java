package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class DatabaseAdviceTest {

    @Test
    void aDatabaseThatCannotStartOnAFullDiskIsNamedAFullDiskFromItsNextException() {
        SQLException failed = new SQLException("Failed to start database 'db'", "XJ040");
        failed.setNextException(new SQLException("Page Page(2,Container(0, 1648)) could not be written to disk, please "
                + "check if the disk is full", "XSDG1"));
        assertTrue(JdbcDatabase.advice(failed).startsWith("The disk is full"), JdbcDatabase.advice(failed));
    }

    @Test
    void aMissingDatabaseAndAShutDownOneAreToldApart() {
        assertTrue(JdbcDatabase.advice(new SQLException("Database 'x' not found.", "XJ004")).contains("MEDSETTLE_DB_DIR"));
        assertTrue(JdbcDatabase.advice(new SQLException("Database 'x' shutdown.", "08006")).contains("restart the instance"));
    }
}
