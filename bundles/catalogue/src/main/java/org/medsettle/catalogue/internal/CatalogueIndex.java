package org.medsettle.catalogue.internal;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueVersionInfo;

/** One catalogue version in memory, immutable: code → its entries (usually one). */
public final class CatalogueIndex implements Catalogue {

    private final CatalogueVersionInfo version;
    private final Map<String, CatalogueEntry[]> byCode;

    public CatalogueIndex(CatalogueVersionInfo version, List<CatalogueEntry> entries) {
        this.version = version;
        Map<String, CatalogueEntry[]> map = new HashMap<>(entries.size() * 2);
        for (CatalogueEntry e : entries) {
            map.merge(e.medListCodg(), new CatalogueEntry[] {e}, (old, add) -> {
                CatalogueEntry[] joined = java.util.Arrays.copyOf(old, old.length + 1);
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
        for (CatalogueEntry[] entries : byCode.values()) {
            for (CatalogueEntry e : entries) {
                if (e.validOn(date)) {
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
        CatalogueEntry[] entries = byCode.get(code);
        if (entries != null) {
            for (CatalogueEntry e : entries) {
                if (e.validOn(date)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }
}
