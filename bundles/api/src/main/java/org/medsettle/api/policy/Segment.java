package org.medsettle.api.policy;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Money;

/** A segment of a layer on the layer's cumulative personal-share axis: up to where, at which ratio. */
public record Segment(Optional<Money> upTo, BigDecimal ratio) {

    public Segment {
        Objects.requireNonNull(upTo, "upTo");
        Objects.requireNonNull(ratio, "ratio");
    }
}
