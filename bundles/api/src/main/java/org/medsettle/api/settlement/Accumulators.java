package org.medsettle.api.settlement;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.medsettle.api.Money;
import org.medsettle.api.policy.LayerFund;

/**
 * A person's accumulators for one settlement year, kept by the insured node; also the change one settlement
 * makes to them (then {@code accountBalance} is the change of the balance). A reversal applies the negated change.
 *
 * @param pools               per cap pool
 * @param inpatientAdmissions settled inpatient ({@code 21}) admissions in the year, wherever they were
 * @param layers              per further layer
 * @param assistancePaid      medical assistance paid in the year
 * @param accountBalance      the personal account's balance
 */
public record Accumulators(Map<String, PoolAccumulator> pools, int inpatientAdmissions,
                           Map<LayerFund, LayerAccumulator> layers, Money assistancePaid, Money accountBalance) {

    public Accumulators {
        pools = Map.copyOf(pools);
        layers = Map.copyOf(layers);
        Objects.requireNonNull(assistancePaid, "assistancePaid");
        Objects.requireNonNull(accountBalance, "accountBalance");
    }

    /** A new year: nothing accumulated, the account at {@code balance}. */
    public static Accumulators opening(Money balance) {
        return new Accumulators(Map.of(), 0, Map.of(), Money.ZERO, balance);
    }

    public PoolAccumulator pool(String name) {
        return pools.getOrDefault(name, PoolAccumulator.ZERO);
    }

    public LayerAccumulator layer(LayerFund fund) {
        return layers.getOrDefault(fund, LayerAccumulator.ZERO);
    }

    /** These accumulators with a change applied. */
    public Accumulators plus(Accumulators change) {
        Map<String, PoolAccumulator> p = new TreeMap<>(pools);
        change.pools.forEach((k, v) -> p.merge(k, v, PoolAccumulator::plus));
        Map<LayerFund, LayerAccumulator> l = new EnumMap<>(LayerFund.class);
        l.putAll(layers);
        change.layers.forEach((k, v) -> l.merge(k, v, LayerAccumulator::plus));
        return new Accumulators(p, inpatientAdmissions + change.inpatientAdmissions, l,
                assistancePaid.plus(change.assistancePaid), accountBalance.plus(change.accountBalance));
    }

    /** The change that undoes this one. */
    public Accumulators negate() {
        Map<String, PoolAccumulator> p = new TreeMap<>();
        pools.forEach((k, v) -> p.put(k, v.negate()));
        Map<LayerFund, LayerAccumulator> l = new EnumMap<>(LayerFund.class);
        layers.forEach((k, v) -> l.put(k, v.negate()));
        return new Accumulators(p, -inpatientAdmissions, l, assistancePaid.negate(), accountBalance.negate());
    }
}
