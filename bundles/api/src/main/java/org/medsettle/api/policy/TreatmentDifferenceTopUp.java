package org.medsettle.api.policy;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

import org.medsettle.api.Money;
import org.medsettle.api.model.MedicalType;

/**
 * The top-up of the treatment difference (待遇补差), an insured province's policy option: when manual reimbursement at
 * home under its own catalogue (参保地目录) would have paid more from the funds than direct settlement under the
 * catalogue of the place of treatment (就医地目录), the insured province pays its insured person {@code ratio} of the
 * difference, at most {@code maxPerSettlement}, after the month's clearing (清算), as a fund line of its own.
 *
 * @param ratio            the share of the difference paid, in (0, 1]
 * @param maxPerSettlement the most one settlement's top-up pays, yuan, above zero
 * @param medTypes         the medical types it applies to; empty: every type the policy covers
 */
public record TreatmentDifferenceTopUp(BigDecimal ratio, Money maxPerSettlement, Set<MedicalType> medTypes) {

    public TreatmentDifferenceTopUp {
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(maxPerSettlement, "maxPerSettlement");
        if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("ratio: in (0, 1], not " + ratio.toPlainString());
        }
        if (!maxPerSettlement.isPositive()) {
            throw new IllegalArgumentException("maxPerSettlement: above zero, not " + maxPerSettlement);
        }
        medTypes = Set.copyOf(medTypes);
    }

    /** Whether it applies to {@code medType} (every type when the option names none). */
    public boolean appliesTo(MedicalType medType) {
        return medTypes.isEmpty() || medTypes.contains(medType);
    }

    /**
     * The top-up of one settlement: {@code ratio} × (what manual reimbursement would pay from the funds − what direct
     * settlement paid), rounded half-up to the fen, at most {@code maxPerSettlement}; zero when home would not pay
     * more, or for a medical type the option does not name.
     */
    public Money amount(MedicalType medType, Money directFundPay, Money manualFundPay) {
        if (!appliesTo(medType)) {
            return Money.ZERO;
        }
        Money difference = manualFundPay.minus(directFundPay);
        if (!difference.isPositive()) {
            return Money.ZERO;
        }
        return difference.times(ratio).min(maxPerSettlement);
    }
}
