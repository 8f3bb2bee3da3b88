package org.medsettle.link.internal;

import org.medsettle.api.store.Transactor;
import org.medsettle.store.testing.PostgresServer;
import org.medsettle.store.testing.TestStores;

/**
 * The outbox's statements on a real PostgreSQL server, where Derby's index override is an SQL comment: the same
 * answers (the rows read are Derby's to count).
 */
class OutboxStoreOnPostgresqlTest extends OutboxStoreTest {

    @Override
    Transactor store() {
        return TestStores.onPostgresql(PostgresServer.shared());
    }

    @Override
    boolean plansKept() {
        return false;
    }
}
