package org.medsettle.catalogue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.store.Actor;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestStores;

/**
 * Two instances of one province on one database (issue 13): a catalogue version imported or activated at one
 * becomes active at the other when it next compares with the database — on Derby here, on PostgreSQL in the
 * {@code on-postgresql} run.
 */
@Tag("database")
class CatalogueInstancesTest {

    private static final String DRUG = "XB05BBA250A938646502808";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    private static byte[] csv(String oldPrice, String newPrice) throws IOException {
        try (InputStream in = CatalogueInstancesTest.class.getResourceAsStream("/catalogue-330000.csv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String line = DRUG + ",硝苯地平控释片,drug,A,0," + oldPrice + ",";
            assertTrue(text.contains(line), "the sample has " + line);
            return text.replace(line, DRUG + ",硝苯地平控释片,drug,A,0," + newPrice + ",").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static BigDecimal limit(CatalogueService catalogue) {
        return catalogue.lookup(DRUG, DAY).orElseThrow().priceLimit().orElseThrow();
    }

    /** What a test does with two instances of the catalogue on one fresh store. */
    private interface TwoInstances {
        void run(CatalogueService first, CatalogueService second) throws IOException;
    }

    /** {@code test} on two instances sharing one fresh store, both deactivated afterwards. */
    private static void onTwoInstances(TwoInstances test) throws IOException {
        StoreComponent store = TestStores.fresh();
        CatalogueService first = new CatalogueService(store);
        CatalogueService second = new CatalogueService(store);
        try {
            test.run(first, second);
        } finally {
            first.deactivate();
            second.deactivate();
        }
    }

    @Test
    void thePriceLimitAnInstanceReadsFromTheStoreIsTheOneImportedToTheLastDecimalTheFileMayHave() throws IOException {
        onTwoInstances((imported, restarted) -> {
            imported.importCsv(new ByteArrayInputStream(csv("5", "9999999999.123456")), "v1.csv",
                    Actor.console("admin"), n -> { }).version().orElseThrow();
            assertTrue(restarted.follow());
            assertEquals(0, new BigDecimal("9999999999.123456").compareTo(limit(restarted)), limit(restarted).toString());
            assertEquals(0, limit(imported).compareTo(limit(restarted)));
            // one decimal more would have been settled as imported until a restart and cut off after it: refused
            assertFalse(imported.importCsv(new ByteArrayInputStream(csv("5", "6.1234567")), "v2.csv",
                    Actor.console("admin"), n -> { }).version().isPresent());
        });
    }

    @Test
    void aVersionImportedOrActivatedAtAnotherInstanceBecomesActiveHereToo() throws IOException {
        onTwoInstances((first, second) -> {
            CatalogueVersionInfo v1 = first.importCsv(new ByteArrayInputStream(csv("5", "5")), "v1.csv",
                    Actor.console("admin"), n -> { }).version().orElseThrow();
            assertEquals("none", second.activeVersion(), "not yet compared");
            assertTrue(second.follow());
            assertEquals(first.activeVersion(), second.activeVersion());
            assertEquals(0, new BigDecimal("5").compareTo(limit(second)));
            assertFalse(second.follow(), "nothing changed since");

            first.importCsv(new ByteArrayInputStream(csv("5", "6.50")), "v2.csv", Actor.console("admin"), n -> { });
            assertEquals(0, new BigDecimal("5").compareTo(limit(second)), "the old version until it compares");
            assertTrue(second.follow());
            assertEquals(0, new BigDecimal("6.50").compareTo(limit(second)));

            second.activate(v1.id(), Actor.console("admin"));
            assertTrue(first.follow(), "back to v1, made active at the other instance");
            assertEquals(0, new BigDecimal("5").compareTo(limit(first)));
            assertEquals(first.activeVersion(), second.activeVersion());
        });
    }
}
