package org.medsettle.api.settlement;

import java.util.List;

import org.medsettle.api.model.SettlementAmounts;

/**
 * The result of a settlement computation.
 *
 * @param amounts     the {@code setlinfo} amounts
 * @param items       each fee line's split
 * @param details     the {@code setldetail} lines, one per fund that paid (the basic fund always)
 * @param change      what a committed settlement adds to the person's accumulators (a reversal subtracts it)
 * @param explanation how the numbers came about, line by line, for people and for the insured province
 */
public record SettlementOutcome(SettlementAmounts amounts, List<ItemSplit> items, List<FundPayment> details,
                                Accumulators change, List<String> explanation) {

    public SettlementOutcome {
        items = List.copyOf(items);
        details = List.copyOf(details);
        explanation = List.copyOf(explanation);
    }
}
