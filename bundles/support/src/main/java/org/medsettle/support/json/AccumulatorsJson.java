package org.medsettle.support.json;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.medsettle.api.Money;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.PoolAccumulator;

/**
 * Accumulators (or a change of them) as JSON through Jackson databind, amounts in fen: how the insured node stores
 * them (tables {@code accumulator}, {@code insured_settlement}), how the treatment node keeps a settlement's change
 * ({@code settlement.change_data}) and how they travel between nodes:
 * <pre>{"pools":{"inpatient":{"inscp":1027444,"hifp_paid":370978,"annual_deductible_paid":100000}},
 *  "inpatient_admissions":1,"layers":{"HIFMI":{"axis":0,"paid":0}},"assistance_paid":0,"account_balance":-656563}</pre>
 * A value stored by an earlier version (the one-line text {@code P.inpatient=…;A=1;M=0;B=…}) is still read.
 */
public final class AccumulatorsJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private AccumulatorsJson() {
    }

    /** One cap pool. */
    public record Pool(@JsonProperty("inscp") long inscp,
                       @JsonProperty("hifp_paid") long hifpPaid,
                       @JsonProperty("annual_deductible_paid") long annualDeductiblePaid) {
    }

    /** One further layer (大病, 大额). */
    public record Layer(@JsonProperty("axis") long axis, @JsonProperty("paid") long paid) {
    }

    /** Accumulators as they are written. */
    public record Value(@JsonProperty("pools") Map<String, Pool> pools,
                        @JsonProperty("inpatient_admissions") int inpatientAdmissions,
                        @JsonProperty("layers") Map<LayerFund, Layer> layers,
                        @JsonProperty("assistance_paid") long assistancePaid,
                        @JsonProperty("account_balance") long accountBalance) {

        public static Value of(Accumulators a) {
            Map<String, Pool> pools = new TreeMap<>();
            a.pools().forEach((name, p) -> pools.put(name, new Pool(p.inscp().fen(), p.hifpPaid().fen(),
                    p.annualDeductiblePaid().fen())));
            Map<LayerFund, Layer> layers = new EnumMap<>(LayerFund.class);
            a.layers().forEach((fund, l) -> layers.put(fund, new Layer(l.axis().fen(), l.paid().fen())));
            return new Value(pools, a.inpatientAdmissions(), layers, a.assistancePaid().fen(),
                    a.accountBalance().fen());
        }

        public Accumulators accumulators() {
            Map<String, PoolAccumulator> p = new TreeMap<>();
            if (pools != null) {
                pools.forEach((name, v) -> p.put(name, new PoolAccumulator(Money.ofFen(v.inscp()),
                        Money.ofFen(v.hifpPaid()), Money.ofFen(v.annualDeductiblePaid()))));
            }
            Map<LayerFund, LayerAccumulator> l = new EnumMap<>(LayerFund.class);
            if (layers != null) {
                layers.forEach((fund, v) -> l.put(fund, new LayerAccumulator(Money.ofFen(v.axis()),
                        Money.ofFen(v.paid()))));
            }
            return new Accumulators(p, inpatientAdmissions, l, Money.ofFen(assistancePaid), Money.ofFen(accountBalance));
        }
    }

    /** The JSON text of {@code a}. */
    public static String write(Accumulators a) {
        try {
            return JSON.writeValueAsString(Value.of(a));
        } catch (IOException e) {
            throw new IllegalStateException("accumulators cannot be written as JSON", e);
        }
    }

    /** As a JSON tree, to go inside a message. */
    public static JsonNode tree(Accumulators a) {
        return JSON.valueToTree(Value.of(a));
    }

    /**
     * The accumulators in {@code text}: JSON as {@link #write} writes it, or the one-line text of an earlier version.
     *
     * @throws IllegalArgumentException if it is neither
     */
    @SuppressWarnings("deprecation")
    public static Accumulators read(String text) {
        String s = text == null ? "" : text.strip();
        if (!s.startsWith("{")) {
            return org.medsettle.api.settlement.AccumulatorsText.read(s);
        }
        try {
            return JSON.readValue(s, Value.class).accumulators();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not accumulators: '" + (s.length() > 200 ? s.substring(0, 200) + "…" : s)
                    + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The accumulators of a JSON tree inside a message. */
    public static Accumulators read(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not accumulators: " + tree);
        }
        try {
            return JSON.treeToValue(tree, Value.class).accumulators();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not accumulators: " + tree + " (" + e.getMessage() + ")", e);
        }
    }
}
