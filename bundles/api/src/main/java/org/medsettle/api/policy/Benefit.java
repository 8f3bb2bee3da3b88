package org.medsettle.api.policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medsettle.api.Money;

/**
 * The basic fund's benefit for one insurance type and medical type.
 *
 * @param capPool               the cap pool it shares its axis and annual cap with
 * @param deductibleMode        how the deductible is charged
 * @param deductible            the deductible by hospital level (1, 2, 3)
 * @param repeatAdmissionFactor for {@link DeductibleMode#PER_ADMISSION}: the factor after the first admission
 * @param tiers                 ascending tiers, the last without end
 */
public record Benefit(String capPool, DeductibleMode deductibleMode, Map<Integer, Money> deductible,
                      BigDecimal repeatAdmissionFactor, List<Tier> tiers) {

    public Benefit {
        Objects.requireNonNull(capPool, "capPool");
        Objects.requireNonNull(deductibleMode, "deductibleMode");
        deductible = Map.copyOf(deductible);
        Objects.requireNonNull(repeatAdmissionFactor, "repeatAdmissionFactor");
        tiers = List.copyOf(tiers);
    }
}
