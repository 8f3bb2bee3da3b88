package org.medsettle.store.internal;

import javax.sql.DataSource;

import org.medsettle.store.testing.PostgresServer;

/** The leases on a real PostgreSQL server, where several instances of one province share the database. */
class JdbcLeasesOnPostgresqlTest extends JdbcLeasesTest {

    @Override
    DataSource newDatabase() {
        return PostgresServer.shared().newDatabase();
    }
}
