package org.medsettle.api.insured;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@link InsuredPlace#apply}: applied (also when it had been applied before), or the accumulators
 * moved since they were read (recompute with {@code current}), or refused for good.
 */
public record ApplyResult(Outcome outcome, long version, Optional<Coverage> current, String reason) {

    public enum Outcome {
        APPLIED,
        CONFLICT,
        REFUSED
    }

    public ApplyResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(current, "current");
        reason = reason == null ? "" : reason;
    }

    public static ApplyResult applied(long version) {
        return new ApplyResult(Outcome.APPLIED, version, Optional.empty(), "");
    }

    public static ApplyResult conflict(Coverage current) {
        return new ApplyResult(Outcome.CONFLICT, current.version(), Optional.of(current), "");
    }

    public static ApplyResult refused(String reason) {
        return new ApplyResult(Outcome.REFUSED, -1, Optional.empty(), reason);
    }
}
