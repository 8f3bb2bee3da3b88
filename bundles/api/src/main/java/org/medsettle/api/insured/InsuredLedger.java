package org.medsettle.api.insured;

import java.time.Instant;
import java.util.List;

import org.medsettle.api.Money;
import org.medsettle.api.settlement.Accumulators;

/** What the insured node keeps for a person insured here: accumulators per year, balance, settlements applied. */
public interface InsuredLedger {

    /** A settlement applied for the person, wherever it was made. */
    record Applied(String setlId, String treatmentPlace, String fixmedinsCode, String medType, int year, String state,
                   Money medfeeSumamt, Money fundPaySumamt, Money acctPay, Instant appliedAt) {
    }

    /** The person's accumulators of {@code year} with the current account balance. */
    Accumulators accumulators(String psnNo, int year);

    /** The settlements applied for the person, newest first. */
    List<Applied> settlements(String psnNo, int limit);
}
