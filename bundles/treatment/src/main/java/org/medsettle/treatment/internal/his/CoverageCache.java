package org.medsettle.treatment.internal.his;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.model.FilingCategory;

/**
 * Coverage of pre-settled visits, by {@code mdtrt_id}: the settlement that follows (2304/2207) uses it instead of
 * asking the insured node again — one round trip through the hub less per stay. Safe because the insured node
 * checks, when it applies the settlement, that the accumulators are still at that version and the filing still
 * covers the visit; if not, the settlement is recomputed from a fresh coverage. In memory only: a miss costs a
 * round trip.
 */
final class CoverageCache {

    /** How long the coverage read for a pre-settlement is used for the settlement that follows. */
    static final Duration KEEP = Duration.ofMinutes(10);
    static final int MAX_KEPT = 20_000;

    private record Kept(CoverageQuery query, Coverage coverage, Instant at) {
    }

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /** Keeps a pre-settlement's coverage for the settlement; not an emergency's (the settlement records its filing). */
    void keep(String mdtrtId, CoverageQuery settlementQuery, Coverage coverage, Instant now) {
        if (coverage.category() == FilingCategory.EMERGENCY) {
            return;
        }
        if (kept.size() >= MAX_KEPT) {
            Instant old = now.minus(KEEP);
            kept.values().removeIf(k -> k.at().isBefore(old));
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
        }
        kept.put(mdtrtId, new Kept(settlementQuery, coverage, now));
    }

    /** The kept coverage of a visit if it was read for the same question and recently; taken out either way. */
    Optional<Coverage> take(String mdtrtId, CoverageQuery settlementQuery, Instant now) {
        Kept k = kept.remove(mdtrtId);
        if (k == null || !k.query().equals(settlementQuery) || k.at().isBefore(now.minus(KEEP))) {
            return Optional.empty();
        }
        return Optional.of(k.coverage());
    }
}
