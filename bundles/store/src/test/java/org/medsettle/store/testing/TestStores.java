package org.medsettle.store.testing;

import java.util.UUID;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.store.internal.StoreComponent;

/**
 * For other bundles' tests: the real store (every migration applied) on a fresh in-memory Derby database. The
 * returned component is every store service at once (Transactor, AuditLog, PersonStore, ...).
 */
public final class TestStores {

    private TestStores() {
    }

    public static StoreComponent inMemory() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:store-" + UUID.randomUUID());
        ds.setCreateDatabase("create");
        return new StoreComponent(ds);
    }
}
