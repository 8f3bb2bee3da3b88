package org.medsettle.api.settlement;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.policy.Policy;

/**
 * Everything one settlement is computed from: 就医地目录 (the treatment place's catalogue), 参保地政策 (the insured
 * place's policy in force on the settlement date), the person, the visit and the person's accumulators.
 *
 * @param policy         the insured province's policy version in force on {@code settlementDate}
 * @param catalogue      the treatment place's catalogue
 * @param insuranceType  {@code insutype}
 * @param retired        a retired employee (退休); residents and employees in service are not
 * @param assistance     the person's medical-assistance category
 * @param filingCategory the filing's category (decides the cross-province reduction)
 * @param medicalType    {@code med_type}
 * @param hospitalLevel  the hospital's level, 1 to 3
 * @param settlementDate decides the settlement year (for inpatients the discharge date)
 * @param accountUsed    {@code acct_used_flag = 1}
 * @param items          the uploaded, uncancelled fee lines
 * @param accumulators   the person's accumulators for the settlement year before this visit
 */
public record SettlementInput(Policy policy, Catalogue catalogue, InsuranceType insuranceType, boolean retired,
                              Assistance assistance, FilingCategory filingCategory, MedicalType medicalType,
                              int hospitalLevel, LocalDate settlementDate, boolean accountUsed, List<FeeLine> items,
                              Accumulators accumulators) {

    public SettlementInput {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(insuranceType, "insuranceType");
        Objects.requireNonNull(assistance, "assistance");
        Objects.requireNonNull(filingCategory, "filingCategory");
        Objects.requireNonNull(medicalType, "medicalType");
        Objects.requireNonNull(settlementDate, "settlementDate");
        items = List.copyOf(items);
        Objects.requireNonNull(accumulators, "accumulators");
    }
}
