package org.medsettle.api.insured;

import java.time.LocalDate;
import java.util.Objects;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.MedicalType;

/**
 * Asked by the treatment node before a (pre-)settlement.
 *
 * @param insuredPlace   the person's insured province
 * @param treatmentPlace the treatment node's province
 * @param admissionDate  the filing must cover it
 * @param settlementDate decides the accumulators' year
 * @param medicalType    {@code 13} (emergency) settles without a prior filing
 * @param recordEmergency whether an emergency visit without filing records its {@code EMERGENCY} filing (a
 *                       settlement does, a pre-settlement does not)
 */
public record CoverageQuery(Admdvs insuredPlace, String psnNo, Admdvs treatmentPlace, LocalDate admissionDate,
                            LocalDate settlementDate, MedicalType medicalType, boolean recordEmergency) {

    public CoverageQuery {
        Objects.requireNonNull(insuredPlace, "insuredPlace");
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(treatmentPlace, "treatmentPlace");
        Objects.requireNonNull(admissionDate, "admissionDate");
        Objects.requireNonNull(settlementDate, "settlementDate");
        Objects.requireNonNull(medicalType, "medicalType");
    }
}
