package org.medsettle.api.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.Money;
import org.medsettle.api.model.MedicalType;

/**
 * A province's policy for one insurance type.
 *
 * @param capPools annual cap of the basic fund per cap pool
 * @param benefits the benefit per medical type; a medical type without one is not settled directly
 * @param layers   further layers, applied in order
 */
public record InsurancePolicy(Map<String, Money> capPools, Map<MedicalType, Benefit> benefits, List<Layer> layers) {

    public InsurancePolicy {
        capPools = Map.copyOf(capPools);
        benefits = Map.copyOf(benefits);
        layers = List.copyOf(layers);
    }

    /** The benefit for a medical type; emergency outpatient ({@code 13}) falls back to general outpatient ({@code 11}). */
    public Optional<Benefit> benefitFor(MedicalType medicalType) {
        Benefit own = benefits.get(medicalType);
        if (own == null && medicalType == MedicalType.EMERGENCY_OUTPATIENT) {
            return Optional.ofNullable(benefits.get(MedicalType.GENERAL_OUTPATIENT));
        }
        return Optional.ofNullable(own);
    }
}
