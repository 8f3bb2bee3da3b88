package org.medsettle.api.policy;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Money;

/**
 * A reimbursement tier of a benefit, on the cap pool's cumulative in-scope axis for the year.
 *
 * @param upTo      where the tier ends on the axis; empty for no end
 * @param inService the basic fund's ratio for persons in service and residents
 * @param retired   the ratio for retired employees
 */
public record Tier(Optional<Money> upTo, BigDecimal inService, BigDecimal retired) {

    public Tier {
        Objects.requireNonNull(upTo, "upTo");
        Objects.requireNonNull(inService, "inService");
        Objects.requireNonNull(retired, "retired");
    }

    public BigDecimal ratio(boolean retiredPerson) {
        return retiredPerson ? retired : inService;
    }
}
