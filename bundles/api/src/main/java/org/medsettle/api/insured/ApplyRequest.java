package org.medsettle.api.insured;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.settlement.Accumulators;

/**
 * A settlement made at a treatment node, to be applied to the person's accumulators at the insured node.
 *
 * @param expectedVersion the version the settlement was computed from
 * @param change          what the settlement adds ({@code accountBalance}: the change of the balance)
 * @param filingId        the filing the settlement was computed under, checked again by the insured place (null:
 *                        not checked, when a pending settlement is finished after a restart)
 * @param admissionDate   the filing must still cover it
 */
public record ApplyRequest(Admdvs insuredPlace, String setlId, String psnNo, String mdtrtId, Admdvs treatmentPlace,
                           String fixmedinsCode, MedicalType medicalType, LocalDateTime setlTime, int year,
                           long expectedVersion, Accumulators change, SettlementAmounts amounts,
                           String filingId, LocalDate admissionDate) {

    public ApplyRequest {
        Objects.requireNonNull(insuredPlace, "insuredPlace");
        Objects.requireNonNull(setlId, "setlId");
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(mdtrtId, "mdtrtId");
        Objects.requireNonNull(treatmentPlace, "treatmentPlace");
        Objects.requireNonNull(fixmedinsCode, "fixmedinsCode");
        Objects.requireNonNull(medicalType, "medicalType");
        Objects.requireNonNull(setlTime, "setlTime");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(amounts, "amounts");
        Objects.requireNonNull(admissionDate, "admissionDate");
    }
}
