package org.medsettle.catalogue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.catalogue.CatalogueActivation;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.ImportResult;
import org.medsettle.api.store.Actor;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestStores;

/**
 * An import says how many codes the new version covers on the business day against the version it replaces, so
 * that a file of the wrong year or a cut-off extract, active at once, is seen at once.
 */
@Tag("database")
class CatalogueImportCoverageTest {

    private static String sample() throws IOException {
        try (InputStream in = CatalogueImportCoverageTest.class.getResourceAsStream("/catalogue-330000.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ImportResult importing(CatalogueService catalogue, String csv, String name) {
        return catalogue.importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), name,
                Actor.console("admin"), n -> { });
    }

    @Test
    void anImportCountsTheCodesValidTodayAgainstTheVersionItReplacedAndFlagsAVersionCoveringMarkedlyFewer()
            throws IOException {
        StoreComponent store = TestStores.fresh();
        CatalogueService catalogue = new CatalogueService(store);
        try {
            String sample = sample();
            // what the file says, read as the import reads it, counted code by code
            CatalogueCsv.Result read = CatalogueCsv.read(new ByteArrayInputStream(sample.getBytes(StandardCharsets.UTF_8)),
                    n -> { });
            long validToday = read.entries().stream().filter(e -> e.validOn(BusinessClock.today()))
                    .map(CatalogueEntry::medListCodg).distinct().count();
            assertTrue(validToday > 1000, "the sample covers today: " + validToday);

            ImportResult first = importing(catalogue, sample, "v1.csv");
            assertTrue(first.accepted(), first.problems()::toString);
            assertEquals(read.lines(), first.lines());
            assertEquals(validToday, first.validToday());
            assertEquals(Optional.empty(), first.replaced());
            assertFalse(first.coversFewerToday());

            // the file's open-ended entries, each valid from next year only: a file of the wrong year
            String firstOfNextYear = BusinessClock.today().plusYears(1).withDayOfYear(1).toString();
            String nextYear = String.join("\n", sample.lines()
                    .filter(l -> l.startsWith("med_list_codg") || l.endsWith(",9999-12-31"))
                    .map(l -> l.startsWith("med_list_codg") ? l
                            : l.replaceFirst(",\\d{4}-\\d{2}-\\d{2},9999-12-31$", "," + firstOfNextYear + ",9999-12-31"))
                    .toList()) + "\n";
            ImportResult wrongYear = importing(catalogue, nextYear, "v2.csv");
            assertTrue(wrongYear.accepted(), wrongYear.problems()::toString);
            assertEquals(0, wrongYear.validToday());
            assertEquals(first.version().orElseThrow().id(), wrongYear.replaced().orElseThrow().version().id());
            assertEquals(validToday, wrongYear.replaced().orElseThrow().validToday());
            assertTrue(wrongYear.coversFewerToday());

            // the right file again: more than the version it replaces, no warning
            ImportResult again = importing(catalogue, sample, "v3.csv");
            assertEquals(validToday, again.validToday());
            assertEquals(0, again.replaced().orElseThrow().validToday());
            assertFalse(again.coversFewerToday());

            // making the wrong year's version active again by hand: the same count, and the same warning
            CatalogueActivation back = catalogue.reactivate(wrongYear.version().orElseThrow().id(), Actor.console("admin"));
            assertEquals(wrongYear.version().orElseThrow().id(), back.version().id());
            assertEquals(0, back.validToday());
            assertEquals(again.version().orElseThrow().id(), back.replaced().orElseThrow().version().id());
            assertEquals(validToday, back.replaced().orElseThrow().validToday());
            assertEquals(Optional.of(validToday + " fewer codes valid today than in v" + again.version().orElseThrow().id()
                    + ": the fees of those it lacks are paid in full by the patient from now on. If that was not meant: "
                    + "medsettle:catalogue-activate " + again.version().orElseThrow().id()), back.warning());
            assertTrue(catalogue.lookup(read.entries().get(0).medListCodg(), BusinessClock.today()).isEmpty(),
                    "the version made active is the one in use");
            // and the first version again: every code back, nothing to warn of
            CatalogueActivation first1 = catalogue.reactivate(first.version().orElseThrow().id(), Actor.console("admin"));
            assertEquals(validToday, first1.validToday());
            assertEquals(0, first1.replaced().orElseThrow().validToday());
            assertEquals(Optional.empty(), first1.warning());
        } finally {
            catalogue.deactivate();
        }
    }
}
