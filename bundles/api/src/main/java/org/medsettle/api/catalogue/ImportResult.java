package org.medsettle.api.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a catalogue import did: either the whole file became the active version, or nothing changed and every
 * bad line is named.
 *
 * @param version          the new active version, if accepted
 * @param lines            data lines read
 * @param problems         every bad line, as {@code line N: what is wrong}; empty if accepted
 * @param took             how long it took
 * @param validToday       codes the new version covers on the business day of the import (0 if refused)
 * @param replaced         the version that was active before, if one was, with what it covered that day
 */
public record ImportResult(Optional<CatalogueVersionInfo> version, int lines, List<String> problems, Duration took,
                           int validToday, Optional<Replaced> replaced) {

    /** The version an import (or {@code catalogue-activate}) replaced, and how many codes it covered on that day. */
    public record Replaced(CatalogueVersionInfo version, int validToday) {
    }

    /**
     * A new version covering fewer than this share of the codes its predecessor covered today is worth a warning: the
     * fees of every code it lacks are paid in full by the patient from now on.
     */
    public static final double FEWER_VALID_WARNING = 0.9;

    public ImportResult {
        problems = List.copyOf(problems);
    }

    /** A refused import, or one whose coverage today is not known. */
    public ImportResult(Optional<CatalogueVersionInfo> version, int lines, List<String> problems, Duration took) {
        this(version, lines, problems, took, 0, Optional.empty());
    }

    public boolean accepted() {
        return version.isPresent();
    }

    /** What an accepted version covers today, said for its importer: {@code 2920 codes valid today (2920 in v1, …)}. */
    public String coverage() {
        return CoverageText.coverage(validToday, replaced);
    }

    /** When it {@link #coversFewerToday()}: what that means and the way back. */
    public Optional<String> warning() {
        return accepted() ? CoverageText.warning(validToday, replaced, "If the file was wrong") : Optional.empty();
    }

    /** Whether the new version covers markedly fewer codes today than the one before ({@link #FEWER_VALID_WARNING}). */
    public boolean coversFewerToday() {
        return accepted() && CoverageText.fewer(validToday, replaced);
    }
}
