package org.medsettle.engine.internal;

import java.math.BigDecimal;
import java.util.Optional;

import org.medsettle.api.Money;

/** Positions on a cumulative axis: the overlap of a band {@code [from, to)} with a range. */
final class Axis {

    private Axis() {
    }

    /** The length of {@code [bandFrom, bandTo) ∩ [from, to)}; {@code bandTo} empty means no end. */
    static Money overlap(Money bandFrom, Optional<Money> bandTo, Money from, Money to) {
        Money start = bandFrom.max(from);
        Money end = bandTo.map(b -> b.min(to)).orElse(to);
        return end.compareTo(start) > 0 ? end.minus(start) : Money.ZERO;
    }

    static BigDecimal atLeastZero(BigDecimal value) {
        return value.signum() < 0 ? BigDecimal.ZERO : value;
    }

    static Money atLeastZero(Money value) {
        return value.isNegative() ? Money.ZERO : value;
    }
}
