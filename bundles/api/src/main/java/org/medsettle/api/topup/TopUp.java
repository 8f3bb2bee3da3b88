package org.medsettle.api.topup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;

/**
 * One top-up of the treatment difference (待遇补差) owed by this insured province.
 *
 * @param setlId         the settlement it belongs to
 * @param treatmentPlace the province where the person was treated
 * @param psnNo          the person
 * @param mdtrtId        the visit
 * @param fixmedinsCode  the hospital
 * @param medType        the medical type
 * @param setlTime       the settlement's time (China time); its month is the clearing it waits for
 * @param amount         what is paid to the person
 * @param directFundPay  what direct settlement paid from the funds
 * @param manualFundPay  what manual reimbursement at home would have paid from the funds
 * @param policyVersion  this province's policy version that pays it
 * @param catalogue      the catalogue it was computed with
 * @param state          where it stands
 * @param why            for WAITING, what it waits for; for CANCELLED and RECOVER, why; empty otherwise
 * @param receivedAt     when the notice was recorded
 * @param paidAt         when it was paid
 * @param paymentRef     the payment's reference, as the administrator gave it
 */
public record TopUp(String setlId, Admdvs treatmentPlace, String psnNo, String mdtrtId, String fixmedinsCode,
                    String medType, LocalDateTime setlTime, Money amount, Money directFundPay, Money manualFundPay,
                    String policyVersion, String catalogue, TopUpState state, String why, Instant receivedAt,
                    Optional<Instant> paidAt, Optional<String> paymentRef) {

    public TopUp {
        Objects.requireNonNull(setlId, "setlId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(amount, "amount");
    }
}
