package org.medsettle.api.insured;

import java.util.Objects;

/**
 * The answer to {@link InsuredPlace#apply}: applied (also when it had been applied before), or the accumulators
 * moved since they were read (read them again and recompute), or refused for good.
 *
 * @param version the person's version after the change (applied) or now (conflict)
 */
public record ApplyResult(Outcome outcome, long version, String reason) {

    public enum Outcome {
        APPLIED,
        CONFLICT,
        REFUSED
    }

    public ApplyResult {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }

    public static ApplyResult applied(long version) {
        return new ApplyResult(Outcome.APPLIED, version, "");
    }

    public static ApplyResult conflict(long version) {
        return new ApplyResult(Outcome.CONFLICT, version, "");
    }

    public static ApplyResult refused(String reason) {
        return new ApplyResult(Outcome.REFUSED, -1, reason);
    }
}
