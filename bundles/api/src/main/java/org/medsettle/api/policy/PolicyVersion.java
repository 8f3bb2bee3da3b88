package org.medsettle.api.policy;

import java.time.LocalDate;
import java.util.Objects;

import org.medsettle.api.Admdvs;

/**
 * One version of one insured province's policy as published by the policy extender.
 *
 * @param policy the policy file's content
 * @param source where it came from: bundle symbolic name, bundle version and path inside the bundle
 */
public record PolicyVersion(Policy policy, String source) {

    public PolicyVersion {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
    }

    public Admdvs admdvs() {
        return policy.admdvs();
    }

    public String version() {
        return policy.version();
    }

    public LocalDate effectiveFrom() {
        return policy.effectiveFrom();
    }
}
