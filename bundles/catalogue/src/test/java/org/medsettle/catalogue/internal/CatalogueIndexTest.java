package org.medsettle.catalogue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.ChargeClass;

class CatalogueIndexTest {

    private static CatalogueEntry entry(String code, String name, String from, String to) {
        return new CatalogueEntry(code, name, "drug", ChargeClass.A, BigDecimal.ZERO, Optional.empty(),
                LocalDate.parse(from), Optional.ofNullable(to).map(LocalDate::parse));
    }

    private static CatalogueIndex index(List<CatalogueEntry> entries) {
        return new CatalogueIndex(new CatalogueVersionInfo(1, "test.csv", Instant.EPOCH, "test", entries.size(), true),
                entries);
    }

    @Test
    void aCodeIsFoundOnTheFirstAndLastDayOfItsEntryAndNotADayOutside() {
        CatalogueIndex index = index(List.of(entry("X1", "old", "2020-01-01", "2023-12-31"),
                entry("X1", "new", "2024-01-01", null), entry("X2", "only 2025", "2025-03-01", "2025-03-31")));
        assertEquals(Optional.empty(), index.lookup("X1", LocalDate.parse("2019-12-31")));
        assertEquals("old", index.lookup("X1", LocalDate.parse("2020-01-01")).orElseThrow().name());
        assertEquals("old", index.lookup("X1", LocalDate.parse("2023-12-31")).orElseThrow().name());
        assertEquals("new", index.lookup("X1", LocalDate.parse("2024-01-01")).orElseThrow().name());
        assertEquals("new", index.lookup("X1", LocalDate.MAX).orElseThrow().name());
        assertEquals(Optional.empty(), index.lookup("X2", LocalDate.parse("2025-02-28")));
        assertEquals("only 2025", index.lookup("X2", LocalDate.parse("2025-03-31")).orElseThrow().name());
        assertEquals(Optional.empty(), index.lookup("X2", LocalDate.parse("2025-04-01")));
        assertEquals(Optional.empty(), index.lookup("X3", LocalDate.parse("2025-03-15")));
        assertEquals(2, index.validOn(LocalDate.parse("2025-03-15")));
        assertEquals(1, index.validOn(LocalDate.parse("2025-04-01")));
        assertEquals(0, index.validOn(LocalDate.parse("2019-01-01")));
    }

    /** Random entries and days: the index answers what the entries' own {@code validOn} says. */
    @Test
    void aLookUpAnswersTheEntryValidOnTheDayAsTheEntrySaysIt() {
        Random random = new Random(48);
        List<CatalogueEntry> entries = new ArrayList<>();
        LocalDate base = LocalDate.parse("2020-01-01");
        for (int code = 0; code < 200; code++) {
            LocalDate from = base.plusDays(random.nextInt(100));
            for (int period = 0; period < 1 + random.nextInt(3); period++) {
                boolean open = random.nextInt(4) == 0;
                LocalDate to = from.plusDays(random.nextInt(200));
                entries.add(entry("C" + code, "C" + code + "/" + period, from.toString(), open ? null : to.toString()));
                if (open) {
                    break;
                }
                from = to.plusDays(1 + random.nextInt(3));
            }
        }
        CatalogueIndex index = index(entries);
        for (int i = 0; i < 20_000; i++) {
            String code = "C" + random.nextInt(210);
            LocalDate day = base.plusDays(random.nextInt(1000) - 10);
            Optional<CatalogueEntry> expected = entries.stream()
                    .filter(e -> e.medListCodg().equals(code) && e.validOn(day)).findFirst();
            assertEquals(expected, index.lookup(code, day), code + " on " + day);
        }
        assertTrue(entries.size() > 200);
    }
}
