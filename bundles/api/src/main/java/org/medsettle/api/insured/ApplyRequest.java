package org.medsettle.api.insured;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.Person;
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
 * @param person          the person as the settlement was computed for them (a coverage the treatment node read
 *                        earlier, for the pre-settlement); the insured place answers
 *                        {@link ApplyResult.Outcome#CONFLICT} when its record now differs in what a settlement
 *                        depends on (insurance type, person type, assistance, birth date), and the node recomputes
 *                        from a fresh coverage. Null: not checked (the coverage was read for this settlement)
 */
public record ApplyRequest(Admdvs insuredPlace, String setlId, String psnNo, String mdtrtId, Admdvs treatmentPlace,
                           String fixmedinsCode, MedicalType medicalType, LocalDateTime setlTime, int year,
                           long expectedVersion, Accumulators change, SettlementAmounts amounts,
                           String filingId, LocalDate admissionDate, Person person) {

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

    /** A request whose person is not checked (its coverage was read for this settlement). */
    public ApplyRequest(Admdvs insuredPlace, String setlId, String psnNo, String mdtrtId, Admdvs treatmentPlace,
                        String fixmedinsCode, MedicalType medicalType, LocalDateTime setlTime, int year,
                        long expectedVersion, Accumulators change, SettlementAmounts amounts, String filingId,
                        LocalDate admissionDate) {
        this(insuredPlace, setlId, psnNo, mdtrtId, treatmentPlace, fixmedinsCode, medicalType, setlTime, year,
                expectedVersion, change, amounts, filingId, admissionDate, null);
    }

    /**
     * Whether {@code current}, the insured place's record of the person now, settles as {@link #person()} did: the
     * same insurance type, person type, assistance and birth date (true when the person is not checked).
     */
    public boolean settlesAs(Person current) {
        return person == null || current != null && person.insuranceType() == current.insuranceType()
                && person.personType() == current.personType() && person.assistance() == current.assistance()
                && Objects.equals(person.birthDate(), current.birthDate());
    }
}
