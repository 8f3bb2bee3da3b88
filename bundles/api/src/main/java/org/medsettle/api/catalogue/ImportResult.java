package org.medsettle.api.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a catalogue import did: either the whole file became the active version, or nothing changed and every
 * bad line is named.
 *
 * @param version  the new active version, if accepted
 * @param lines    data lines read
 * @param problems every bad line, as {@code line N: what is wrong}; empty if accepted
 * @param took     how long it took
 */
public record ImportResult(Optional<CatalogueVersionInfo> version, int lines, List<String> problems, Duration took) {

    public ImportResult {
        problems = List.copyOf(problems);
    }

    public boolean accepted() {
        return version.isPresent();
    }
}
