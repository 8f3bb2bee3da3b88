package org.medsettle.api.catalogue;

import java.time.Instant;

/**
 * One imported version of the catalogue. Versions are never deleted; exactly one is active.
 *
 * @param id         assigned at import, ascending
 * @param source     where it came from (file name)
 * @param importedAt when
 * @param importedBy who (console user, or the file route's name)
 * @param entries    how many entries
 * @param active     whether look-ups use it now
 */
public record CatalogueVersionInfo(long id, String source, Instant importedAt, String importedBy, int entries, boolean active) {

    /** A label for explanations and audits: {@code v3 (catalogue-2026.csv, 2026-11-23T08:00:00Z)}. */
    public String label() {
        return "v" + id + " (" + source + ", " + importedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
    }
}
