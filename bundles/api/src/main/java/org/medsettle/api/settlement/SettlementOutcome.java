package org.medsettle.api.settlement;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.medsettle.api.model.SettlementAmounts;

/**
 * The result of a settlement computation. The explanation is rendered when first asked for: most settlements
 * are never explained, and writing it costs more than computing the amounts.
 */
public final class SettlementOutcome {

    private final SettlementAmounts amounts;
    private final List<ItemSplit> items;
    private final List<FundPayment> details;
    private final Accumulators change;
    private final Supplier<List<String>> explain;
    private volatile List<String> explanation;

    /**
     * @param amounts the {@code setlinfo} amounts
     * @param items   each fee line's split
     * @param details the {@code setldetail} lines, one per fund that paid (the basic fund always)
     * @param change  what a committed settlement adds to the person's accumulators (a reversal subtracts it)
     * @param explain renders how the numbers came about, line by line
     */
    public SettlementOutcome(SettlementAmounts amounts, List<ItemSplit> items, List<FundPayment> details,
                             Accumulators change, Supplier<List<String>> explain) {
        this.amounts = Objects.requireNonNull(amounts, "amounts");
        this.items = List.copyOf(items);
        this.details = List.copyOf(details);
        this.change = Objects.requireNonNull(change, "change");
        this.explain = Objects.requireNonNull(explain, "explain");
    }

    public SettlementAmounts amounts() {
        return amounts;
    }

    public List<ItemSplit> items() {
        return items;
    }

    public List<FundPayment> details() {
        return details;
    }

    public Accumulators change() {
        return change;
    }

    /**
     * How the numbers came about, for people and for the insured province to re-compute: catalogue and policy
     * versions, the deductible due and why, each tier's overlap and ratio, where a cap or threshold was hit.
     */
    public List<String> explanation() {
        List<String> lines = explanation;
        if (lines == null) {
            lines = List.copyOf(explain.get());
            explanation = lines;
        }
        return lines;
    }
}
