package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.catalogue.CatalogueActivation;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.ImportResult;

/**
 * What catalogue-import says once a file is accepted, and catalogue-activate once a version is active again: the codes
 * covered today, and a warning with the way back.
 */
class CatalogueImportSummaryTest {

    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");
    private static final CatalogueVersionInfo V1 = new CatalogueVersionInfo(1, "old.csv", AT, "admin", 3000, false);
    private static final CatalogueVersionInfo V2 = new CatalogueVersionInfo(2, "new.csv", AT, "admin", 3000, true);

    @Test
    void theFirstVersionSaysHowManyCodesItCoversToday() {
        assertEquals("Imported 3000 entries as v2 (new.csv, 2026-12-06T08:00:00Z), now active (12 ms); 2920 codes valid "
                + "today", CatalogueImportCommand.summary(new ImportResult(Optional.of(V2), 3000, List.of(),
                Duration.ofMillis(12), 2920, Optional.empty())));
    }

    @Test
    void aVersionCoveringAboutAsManyAsTheOneBeforeSaysBothWithoutAWarning() {
        assertEquals("Imported 3000 entries as v2 (new.csv, 2026-12-06T08:00:00Z), now active (12 ms); 2700 codes valid "
                + "today (2920 in v1, active until now)", CatalogueImportCommand.summary(new ImportResult(Optional.of(V2),
                3000, List.of(), Duration.ofMillis(12), 2700, Optional.of(new ImportResult.Replaced(V1, 2920)))));
    }

    @Test
    void aVersionCoveringMarkedlyFewerWarnsAndSaysHowToGoBack() {
        assertEquals("Imported 3000 entries as v2 (new.csv, 2026-12-06T08:00:00Z), now active (12 ms); 0 codes valid "
                + "today (2920 in v1, active until now)" + System.lineSeparator() + "WARNING: 2920 fewer codes valid "
                + "today than in v1: the fees of those it lacks are paid in full by the patient from now on. If the file "
                + "was wrong: medsettle:catalogue-activate 1", CatalogueImportCommand.summary(new ImportResult(
                Optional.of(V2), 3000, List.of(), Duration.ofMillis(12), 0, Optional.of(new ImportResult.Replaced(V1, 2920)))));
    }

    @Test
    void makingAVersionActiveAgainSaysWhatItCoversTodayAndWarnsWhenMarkedlyFewerWithTheWayBack() {
        CatalogueVersionInfo v1Active = new CatalogueVersionInfo(1, "old.csv", AT, "admin", 3000, true);
        assertEquals("Active catalogue: v1 (old.csv, 2026-12-06T08:00:00Z); 2920 codes valid today (2700 in v2, active "
                + "until now)", CatalogueActivateCommand.summary(new CatalogueActivation(v1Active, 2920,
                Optional.of(new ImportResult.Replaced(V2, 2700)))));
        assertEquals("Active catalogue: v1 (old.csv, 2026-12-06T08:00:00Z); 12 codes valid today (2920 in v2, active "
                + "until now)" + System.lineSeparator() + "WARNING: 2908 fewer codes valid today than in v2: the fees of "
                + "those it lacks are paid in full by the patient from now on. If that was not meant: "
                + "medsettle:catalogue-activate 2", CatalogueActivateCommand.summary(new CatalogueActivation(v1Active, 12,
                Optional.of(new ImportResult.Replaced(V2, 2920)))));
    }
}
