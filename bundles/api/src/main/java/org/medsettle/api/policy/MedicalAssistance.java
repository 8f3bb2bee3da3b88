package org.medsettle.api.policy;

import java.util.Map;
import java.util.Set;

import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.MedicalType;

/** The insured province's medical assistance: which medical types, and the rule per assistance category. */
public record MedicalAssistance(Set<MedicalType> medTypes, Map<Assistance, AssistanceRule> categories) {

    public static final MedicalAssistance NONE = new MedicalAssistance(Set.of(), Map.of());

    public MedicalAssistance {
        medTypes = Set.copyOf(medTypes);
        categories = Map.copyOf(categories);
    }
}
