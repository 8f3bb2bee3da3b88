package org.medsettle.api.policy;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.medsettle.api.Money;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;

/**
 * A further layer on the personal in-scope share (大病保险, 职工大额补助), settlement-rules.md §3.
 *
 * @param fund      which fund it pays into
 * @param appliesTo the insurance types it covers
 * @param medTypes  the medical types it covers, matched literally
 * @param threshold 起付线, a position on the layer's cumulative axis
 * @param annualCap what the layer pays at most in a year
 * @param segments  ascending segments on the layer's axis, the last without end
 */
public record Layer(LayerFund fund, Set<InsuranceType> appliesTo, Set<MedicalType> medTypes, Money threshold,
                    Money annualCap, List<Segment> segments) {

    public Layer {
        Objects.requireNonNull(fund, "fund");
        appliesTo = Set.copyOf(appliesTo);
        medTypes = Set.copyOf(medTypes);
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(annualCap, "annualCap");
        segments = List.copyOf(segments);
    }

    public boolean covers(InsuranceType insuranceType, MedicalType medicalType) {
        return appliesTo.contains(insuranceType) && medTypes.contains(medicalType);
    }
}
