package org.medsettle.api.settlement;

import java.util.Objects;

import org.medsettle.api.Money;

/**
 * A person's year in one cap pool of the basic fund.
 *
 * @param inscp                in-scope amounts of the year's settled visits in the pool (the pool's axis)
 * @param hifpPaid             what the basic fund paid in the pool
 * @param annualDeductiblePaid deductible paid under {@code annual} benefits of the pool
 */
public record PoolAccumulator(Money inscp, Money hifpPaid, Money annualDeductiblePaid) {

    public static final PoolAccumulator ZERO = new PoolAccumulator(Money.ZERO, Money.ZERO, Money.ZERO);

    public PoolAccumulator {
        Objects.requireNonNull(inscp, "inscp");
        Objects.requireNonNull(hifpPaid, "hifpPaid");
        Objects.requireNonNull(annualDeductiblePaid, "annualDeductiblePaid");
    }

    public PoolAccumulator plus(PoolAccumulator other) {
        return new PoolAccumulator(inscp.plus(other.inscp), hifpPaid.plus(other.hifpPaid),
                annualDeductiblePaid.plus(other.annualDeductiblePaid));
    }

    public PoolAccumulator negate() {
        return new PoolAccumulator(inscp.negate(), hifpPaid.negate(), annualDeductiblePaid.negate());
    }
}
