package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.StoreException;

class JdbcCatalogueStoreTest {

    private static final Actor ADMIN = Actor.console("admin");

    private final EmbeddedDataSource ds = Derby.inMemory();
    private final JdbcCatalogueStore store;

    JdbcCatalogueStoreTest() {
        new SchemaMigrator(ds, Clock.systemUTC()).migrate(MigrationLoader.shipped().load());
        store = new JdbcCatalogueStore(ds, Clock.systemUTC());
    }

    private static final List<CatalogueEntry> ENTRIES = List.of(
            new CatalogueEntry("X1", "甲药", "drug", ChargeClass.A, BigDecimal.ZERO, Optional.of(new BigDecimal("12.5")),
                    LocalDate.of(2020, 1, 1), Optional.empty()),
            new CatalogueEntry("X2", "乙药", "drug", ChargeClass.B, new BigDecimal("0.15"), Optional.empty(),
                    LocalDate.of(2026, 3, 1), Optional.of(LocalDate.of(2026, 12, 31))));

    @Test
    void aSavedVersionComesBackExactlyAndInactive() {
        CatalogueVersionInfo v = store.save("cat.csv", ADMIN, ENTRIES);
        assertFalse(v.active());
        assertEquals(2, v.entries());
        assertEquals(ENTRIES, store.entries(v.id()));
        assertEquals(Optional.empty(), store.active());
    }

    @Test
    void activatingOneVersionDeactivatesTheOthersAndKeepsThem() {
        CatalogueVersionInfo first = store.save("a.csv", ADMIN, ENTRIES);
        CatalogueVersionInfo second = store.save("b.csv", ADMIN, ENTRIES.subList(0, 1));
        store.activate(first.id(), ADMIN);
        store.activate(second.id(), ADMIN);
        assertEquals(second.id(), store.active().orElseThrow().id());
        assertEquals(2, store.versions().size());
        assertEquals(1, store.versions().stream().filter(CatalogueVersionInfo::active).count());
        assertEquals(ENTRIES, store.entries(first.id()));
        assertTrue(new JdbcAuditLog(ds).recent(10, Optional.of("CATALOGUE_ACTIVATED")).size() == 2);
    }

    @Test
    void activatingAnUnknownVersionChangesNothing() {
        CatalogueVersionInfo v = store.save("a.csv", ADMIN, ENTRIES);
        store.activate(v.id(), ADMIN);
        assertThrows(StoreException.class, () -> store.activate(999, ADMIN));
        assertEquals(v.id(), store.active().orElseThrow().id());
    }
}
