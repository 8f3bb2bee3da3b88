package org.medsettle.treatment.internal.his;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.SettlementAmounts;

/**
 * The treatment difference (待遇差) told to the clerk before discharge: direct settlement here classifies the bill with
 * this province's catalogue (就医地目录); manual reimbursement at home would classify it with the insured province's own
 * (参保地目录) — both under the insured province's policy, the same filing, accumulators and hospital level.
 */
final class TreatmentDifference {

    private TreatmentDifference() {
    }

    /** The sentence for {@code warn_msg}; empty when both would pay the same. */
    static String warning(Admdvs insured, SettlementAmounts direct, SettlementAmounts manual) {
        Money d = manual.fundPaySumamt().minus(direct.fundPaySumamt());
        if (d.isZero()) {
            return "";
        }
        return "待遇差 (treatment difference): manual reimbursement at " + insured.province() + " under its own catalogue "
                + "(参保地目录) would pay " + manual.fundPaySumamt() + " from the funds, " + (d.isPositive() ? d : d.negate())
                + (d.isPositive() ? " more" : " less") + " than direct settlement here (" + direct.fundPaySumamt()
                + "); the patient's part would be " + manual.psnPartAmt() + " instead of " + direct.psnPartAmt()
                + " (output.manual_reimbursement)";
    }
}
