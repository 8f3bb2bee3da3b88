package org.medsettle.api.policy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.InsuranceType;

/**
 * One version of an insured province's policy (参保地政策), as in policy-format.md: how much is paid.
 *
 * @param admdvs            the insured province
 * @param name              its name
 * @param version           the version label
 * @param effectiveFrom     the first settlement date it applies to
 * @param ratioReduction    the cross-province reduction of the basic fund's ratio per filing category
 * @param insuranceTypes    the policy per insurance type
 * @param medicalAssistance medical assistance, {@link MedicalAssistance#NONE} if the file has none
 * @param topUp             the top-up of the treatment difference (待遇补差), null if the file has none
 */
public record Policy(Admdvs admdvs, String name, String version, LocalDate effectiveFrom,
                     Map<ReductionCategory, BigDecimal> ratioReduction,
                     Map<InsuranceType, InsurancePolicy> insuranceTypes, MedicalAssistance medicalAssistance,
                     TreatmentDifferenceTopUp topUp) {

    /** A policy without the top-up of the treatment difference. */
    public Policy(Admdvs admdvs, String name, String version, LocalDate effectiveFrom,
                  Map<ReductionCategory, BigDecimal> ratioReduction,
                  Map<InsuranceType, InsurancePolicy> insuranceTypes, MedicalAssistance medicalAssistance) {
        this(admdvs, name, version, effectiveFrom, ratioReduction, insuranceTypes, medicalAssistance, null);
    }

    public Policy {
        Objects.requireNonNull(admdvs, "admdvs");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        ratioReduction = Map.copyOf(ratioReduction);
        insuranceTypes = Map.copyOf(insuranceTypes);
        Objects.requireNonNull(medicalAssistance, "medicalAssistance");
    }

    /** The top-up of the treatment difference (待遇补差), if this version pays one. */
    public Optional<TreatmentDifferenceTopUp> treatmentDifferenceTopUp() {
        return Optional.ofNullable(topUp);
    }

    public Optional<InsurancePolicy> forInsuranceType(InsuranceType type) {
        return Optional.ofNullable(insuranceTypes.get(type));
    }

    /** The reduction for a category; a category the file does not list is not reduced. */
    public BigDecimal reduction(ReductionCategory category) {
        return ratioReduction.getOrDefault(category, BigDecimal.ZERO);
    }
}
