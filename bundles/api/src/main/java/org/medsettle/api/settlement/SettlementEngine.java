package org.medsettle.api.settlement;

import java.util.List;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.model.FeeLine;

/** The settlement calculation of settlement-rules.md. Pure: no I/O, no state; the same input gives the same outcome. */
public interface SettlementEngine {

    /**
     * Computes a (pre-)settlement.
     *
     * @throws SettlementRefusedException if the input is bad or the policy does not cover the visit
     */
    SettlementOutcome settle(SettlementInput input);

    /**
     * Splits fee lines against the treatment-place catalogue (rules §1), as a fee upload answers them.
     *
     * @throws SettlementRefusedException naming {@code feedetail[i].<field>} if a line is bad (a quantity not
     *                                    above 0, an amount that is not price × quantity)
     */
    List<ItemSplit> classify(List<FeeLine> items, Catalogue catalogue);
}
