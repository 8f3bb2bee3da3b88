package org.medsettle.store.internal;

import javax.sql.DataSource;

import org.medsettle.store.testing.PostgresServer;

/** Every migrator test again on a real PostgreSQL server: the same scripts, rolled back whole there too. */
class SchemaMigratorOnPostgresqlTest extends SchemaMigratorTest {

    @Override
    DataSource newDatabase() {
        return PostgresServer.shared().newDatabase();
    }
}
