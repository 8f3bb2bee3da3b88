package org.medsettle.treatment.internal.his;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.medsettle.api.Admdvs;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.settlement.Accumulators;

/**
 * What this instance last knew of each person it admitted (issue 15, one exchange per settlement): the coverage the
 * insured province answered at admission or registration, replaced by the state after each settlement applied there.
 * A settlement without a pre-settlement is computed from it and applied with its version, filing and person, which the
 * insured province checks; when anything moved meanwhile it answers so and the node reads the coverage afresh. So a
 * stale or missing entry costs one exchange more, never a wrong settlement — which is why it is kept in memory only
 * (lost on a restart, not shared between instances) and bounded.
 */
final class KnownCoverage {

    /** Persons kept at most; beyond, the oldest half is forgotten (each then costs one coverage exchange). */
    static final int MAX_KEPT = 100_000;
    /** An entry older than this is not used (a stay longer than that is settled from a fresh coverage). */
    static final Duration KEEP = Duration.ofDays(90);

    private record Kept(Coverage coverage, Instant at) {
    }

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    /** Keeps {@code cov}, unless what is kept of the person is newer (the same year at a higher version). */
    void keep(Coverage cov, Instant now) {
        if (cov.category() == FilingCategory.EMERGENCY) {
            return;
        }
        if (kept.size() >= MAX_KEPT) {
            forgetOldest();
        }
        kept.merge(cov.person().psnNo(), new Kept(cov, now), (old, fresh) ->
                old.coverage().year() == fresh.coverage().year()
                        && old.coverage().version() > fresh.coverage().version() ? old : fresh);
    }

    /** Keeps the state after a settlement computed from {@code cov} was applied there at {@code version}. */
    void keepApplied(Coverage cov, long version, Accumulators change, Instant now) {
        keep(new Coverage(cov.person(), cov.filingId(), cov.category(), cov.year(), version,
                cov.accumulators().plus(change)), now);
    }

    /** The coverage last known of the person insured in {@code insured}, if it is of settlement year {@code year}. */
    Optional<Coverage> of(String psnNo, Admdvs insured, int year, Instant now) {
        return of(psnNo, insured, year, now, KEEP);
    }

    /**
     * The coverage last known of the person, as {@link #of(String, Admdvs, int, Instant)}, if it was read or left by
     * a settlement at most {@code maxAge} (not above {@link #KEEP}) ago — a pre-settlement's estimate from it:
     * {@code preSettlementKnownMinutes}.
     */
    Optional<Coverage> of(String psnNo, Admdvs insured, int year, Instant now, Duration maxAge) {
        Kept k = kept.get(psnNo);
        if (k == null || k.coverage().year() != year || k.at().isBefore(now.minus(maxAge))
                || !k.coverage().person().insuredPlace().sameProvinceAs(insured)) {
            return Optional.empty();
        }
        return Optional.of(k.coverage());
    }

    int size() {
        return kept.size();
    }

    private void forgetOldest() {
        Instant[] times = kept.values().stream().map(Kept::at).sorted().toArray(Instant[]::new);
        if (times.length == 0) {
            return;
        }
        Instant median = times[times.length / 2];
        kept.values().removeIf(k -> !k.at().isAfter(median));
    }
}
