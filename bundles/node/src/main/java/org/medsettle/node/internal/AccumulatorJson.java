package org.medsettle.node.internal;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Money;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.PoolAccumulator;

/**
 * Accumulators (or a change of them) as compact JSON, amounts in fen:
 * {@code {"pools":{"inpatient":[inscp,hifp,annualDeductible]},"admissions":1,"layers":{"HIFMI":[axis,paid]},
 * "assistance":0,"balance":0}}.
 */
public final class AccumulatorJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccumulatorJson() {
    }

    public static String write(Accumulators a) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode pools = root.putObject("pools");
        a.pools().forEach((name, p) -> pools.putArray(name).add(p.inscp().fen()).add(p.hifpPaid().fen())
                .add(p.annualDeductiblePaid().fen()));
        root.put("admissions", a.inpatientAdmissions());
        ObjectNode layers = root.putObject("layers");
        a.layers().forEach((fund, l) -> layers.putArray(fund.name()).add(l.axis().fen()).add(l.paid().fen()));
        root.put("assistance", a.assistancePaid().fen());
        root.put("balance", a.accountBalance().fen());
        return root.toString();
    }

    public static Accumulators read(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            Map<String, PoolAccumulator> pools = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("pools").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ArrayNode v = (ArrayNode) e.getValue();
                pools.put(e.getKey(), new PoolAccumulator(fen(v, 0), fen(v, 1), fen(v, 2)));
            }
            Map<LayerFund, LayerAccumulator> layers = new EnumMap<>(LayerFund.class);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("layers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ArrayNode v = (ArrayNode) e.getValue();
                layers.put(LayerFund.valueOf(e.getKey()), new LayerAccumulator(fen(v, 0), fen(v, 1)));
            }
            return new Accumulators(pools, root.path("admissions").asInt(), layers,
                    Money.ofFen(root.path("assistance").asLong()), Money.ofFen(root.path("balance").asLong()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("stored accumulators are not readable: " + e.getMessage(), e);
        }
    }

    private static Money fen(ArrayNode v, int i) {
        return Money.ofFen(v.get(i).asLong());
    }
}
