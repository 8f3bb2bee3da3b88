package org.medsettle.policy.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.medsettle.api.Admdvs;
import org.medsettle.api.policy.PolicyNotFoundException;
import org.medsettle.api.policy.PolicyRefusal;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyVersion;
import org.medsettle.api.policy.ProvincePolicy;

/**
 * The policies the installed policy bundles contribute. Each change builds a new immutable snapshot, so a
 * reader never sees half a change and a computation keeps the version it started with. A contribution that
 * would give a province two versions with the same effective date, from two bundles, is refused whole.
 */
final class PolicyBook implements PolicyRegistry {

    /** What one bundle contributes. */
    record Contribution(String bundle, List<PolicyVersion> versions) {
        Contribution {
            versions = List.copyOf(versions);
        }
    }

    private final Clock clock;
    private final Map<Long, Contribution> contributions = new LinkedHashMap<>();
    private final Map<Long, PolicyRefusal> refusals = new HashMap<>();
    private volatile Map<Admdvs, ProvincePolicy> snapshot = Map.of();

    PolicyBook(Clock clock) {
        this.clock = clock;
    }

    /**
     * Puts a bundle's versions in force, replacing what the same bundle gave before.
     *
     * @return empty if accepted, else the refusal (the bundle's previous contribution stays)
     */
    synchronized Optional<PolicyRefusal> offer(long bundleId, Contribution contribution) {
        List<String> problems = new ArrayList<>();
        Map<String, PolicyVersion> seen = new HashMap<>();
        for (PolicyVersion v : contribution.versions()) {
            PolicyVersion twin = seen.put(v.admdvs() + "@" + v.effectiveFrom(), v);
            if (twin != null) {
                problems.add(v.source() + ": " + v.admdvs() + " effective " + v.effectiveFrom() + " is also in " + twin.source());
            }
        }
        contributions.forEach((otherId, other) -> {
            if (otherId != bundleId) {
                for (PolicyVersion mine : contribution.versions()) {
                    for (PolicyVersion theirs : other.versions()) {
                        if (mine.admdvs().equals(theirs.admdvs()) && mine.effectiveFrom().equals(theirs.effectiveFrom())) {
                            problems.add(mine.source() + ": " + mine.admdvs() + " effective " + mine.effectiveFrom()
                                    + " is already provided by " + theirs.source());
                        }
                    }
                }
            }
        });
        if (!problems.isEmpty()) {
            return Optional.of(refuse(bundleId, contribution.bundle(), problems));
        }
        contributions.put(bundleId, contribution);
        refusals.remove(bundleId);
        rebuild();
        return Optional.empty();
    }

    /** Records that a bundle's new content was refused; what it gave before stays in force. */
    synchronized PolicyRefusal refuse(long bundleId, String bundle, List<String> problems) {
        PolicyRefusal refusal = new PolicyRefusal(bundle, clock.instant(), problems);
        refusals.put(bundleId, refusal);
        return refusal;
    }

    /** A bundle was uninstalled: its versions are withdrawn. */
    synchronized List<PolicyVersion> withdraw(long bundleId) {
        refusals.remove(bundleId);
        Contribution gone = contributions.remove(bundleId);
        rebuild();
        return gone == null ? List.of() : gone.versions();
    }

    synchronized Optional<Contribution> contribution(long bundleId) {
        return Optional.ofNullable(contributions.get(bundleId));
    }

    private void rebuild() {
        Map<Admdvs, List<PolicyVersion>> byProvince = new TreeMap<>();
        contributions.values().forEach(c -> c.versions().forEach(v ->
                byProvince.computeIfAbsent(v.admdvs(), k -> new ArrayList<>()).add(v)));
        Map<Admdvs, ProvincePolicy> next = new TreeMap<>();
        byProvince.forEach((admdvs, versions) -> {
            versions.sort(Comparator.comparing(PolicyVersion::effectiveFrom));
            next.put(admdvs, new Province(admdvs, versions));
        });
        snapshot = Collections.unmodifiableMap(next);
    }

    @Override
    public List<ProvincePolicy> provinces() {
        return List.copyOf(snapshot.values());
    }

    @Override
    public Optional<ProvincePolicy> province(Admdvs province) {
        return Optional.ofNullable(snapshot.get(province.province()));
    }

    @Override
    public PolicyVersion inForce(Admdvs province, LocalDate settlementDate) {
        return province(province).orElseThrow(() -> new PolicyNotFoundException(province.province(), settlementDate))
                .inForce(settlementDate);
    }

    @Override
    public synchronized List<PolicyRefusal> refusals() {
        List<PolicyRefusal> list = new ArrayList<>(refusals.values());
        list.sort(Comparator.comparing(PolicyRefusal::at).reversed());
        return list;
    }

    /** One province's versions at one moment. */
    record Province(Admdvs admdvs, List<PolicyVersion> versions) implements ProvincePolicy {

        Province {
            versions = List.copyOf(versions);
        }

        @Override
        public PolicyVersion inForce(LocalDate settlementDate) {
            PolicyVersion found = null;
            for (PolicyVersion v : versions) {
                if (!v.effectiveFrom().isAfter(settlementDate)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new PolicyNotFoundException(admdvs, settlementDate);
            }
            return found;
        }
    }
}
