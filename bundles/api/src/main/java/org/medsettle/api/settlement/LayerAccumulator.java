package org.medsettle.api.settlement;

import java.util.Objects;

import org.medsettle.api.Money;

/**
 * A person's year in one further layer.
 *
 * @param axis personal in-scope shares the layer has seen this year (its cumulative axis)
 * @param paid what the layer paid this year
 */
public record LayerAccumulator(Money axis, Money paid) {

    public static final LayerAccumulator ZERO = new LayerAccumulator(Money.ZERO, Money.ZERO);

    public LayerAccumulator {
        Objects.requireNonNull(axis, "axis");
        Objects.requireNonNull(paid, "paid");
    }

    public LayerAccumulator plus(LayerAccumulator other) {
        return new LayerAccumulator(axis.plus(other.axis), paid.plus(other.paid));
    }

    public LayerAccumulator negate() {
        return new LayerAccumulator(axis.negate(), paid.negate());
    }
}
