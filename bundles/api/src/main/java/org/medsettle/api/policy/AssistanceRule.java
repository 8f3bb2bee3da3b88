package org.medsettle.api.policy;

import java.math.BigDecimal;
import java.util.Objects;

import org.medsettle.api.Money;

/** Medical assistance (医疗救助) for one assistance category: the ratio of the remaining share, the annual cap. */
public record AssistanceRule(BigDecimal ratio, Money annualCap) {

    public AssistanceRule {
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(annualCap, "annualCap");
    }
}
