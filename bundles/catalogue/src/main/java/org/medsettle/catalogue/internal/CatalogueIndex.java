package org.medsettle.catalogue.internal;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueVersionInfo;

/**
 * One catalogue version in memory, immutable: code → its entries (usually one), each with its days of validity as
 * numbers and its answer to a look-up made once. A look-up (one or two per fee line and transaction: the engine's
 * classification and settlement, the supervision rules) so reads no object but the map's, the code's and the slot's:
 * by the entry's own {@code LocalDate}s and {@code Optional} it touched three more, each as likely as not out of the
 * processor's caches under load (issue 15, session 48: 2.3 % of the treatment node's samples in {@link
 * CatalogueEntry#validOn}).
 */
public final class CatalogueIndex implements Catalogue {

    /** An entry with its first and last day of validity ({@code LocalDate.toEpochDay}, both inclusive). */
    private record Slot(long firstDay, long lastDay, Optional<CatalogueEntry> found) {

        Slot(CatalogueEntry e) {
            this(e.validFrom().toEpochDay(), e.validTo().map(LocalDate::toEpochDay).orElse(Long.MAX_VALUE),
                    Optional.of(e));
        }

        boolean validOn(long day) {
            return day >= firstDay && day <= lastDay;
        }
    }

    private final CatalogueVersionInfo version;
    private final Map<String, Slot[]> byCode;

    public CatalogueIndex(CatalogueVersionInfo version, List<CatalogueEntry> entries) {
        this.version = version;
        Map<String, Slot[]> map = new HashMap<>(entries.size() * 2);
        for (CatalogueEntry e : entries) {
            map.merge(e.medListCodg(), new Slot[] {new Slot(e)}, (old, add) -> {
                Slot[] joined = java.util.Arrays.copyOf(old, old.length + 1);
                joined[old.length] = add[0];
                return joined;
            });
        }
        this.byCode = map;
    }

    CatalogueVersionInfo version() {
        return version;
    }

    /** How many entries it holds. */
    public int entryCount() {
        return version.entries();
    }

    /** How many codes have an entry valid on {@code date} (at most one each: the import refuses overlaps). */
    public int validOn(LocalDate date) {
        int valid = 0;
        long day = date.toEpochDay();
        for (Slot[] slots : byCode.values()) {
            for (Slot slot : slots) {
                if (slot.validOn(day)) {
                    valid++;
                    break;
                }
            }
        }
        return valid;
    }

    @Override
    public String activeVersion() {
        return version.label();
    }

    @Override
    public Optional<CatalogueEntry> lookup(String code, LocalDate date) {
        Slot[] slots = byCode.get(code);
        if (slots != null) {
            long day = date.toEpochDay();
            for (Slot slot : slots) {
                if (slot.validOn(day)) {
                    return slot.found();
                }
            }
        }
        return Optional.empty();
    }
}
