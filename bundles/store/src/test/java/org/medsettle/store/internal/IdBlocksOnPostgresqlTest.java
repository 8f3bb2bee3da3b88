package org.medsettle.store.internal;

import javax.sql.DataSource;

import org.medsettle.store.testing.PostgresServer;

/** Number blocks on a real PostgreSQL server, where several instances of one province share the database. */
class IdBlocksOnPostgresqlTest extends IdBlocksTest {

    @Override
    DataSource newDatabase() {
        return PostgresServer.shared().newDatabase();
    }
}
