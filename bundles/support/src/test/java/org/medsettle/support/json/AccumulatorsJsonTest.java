package org.medsettle.support.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Money;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.PoolAccumulator;

class AccumulatorsJsonTest {

    private static final Accumulators SOME = new Accumulators(
            Map.of("inpatient", new PoolAccumulator(Money.ofFen(1_027_444), Money.ofFen(370_978), Money.ofFen(100_000)),
                    "门诊 慢特病/1", new PoolAccumulator(Money.ofFen(5), Money.ofFen(-3), Money.ZERO)),
            2, Map.of(LayerFund.HIFMI, new LayerAccumulator(Money.ofFen(12_345), Money.ofFen(6_789))),
            Money.ofFen(4_200), Money.ofFen(-656_563));

    @Test
    void accumulatorsWrittenAsJsonAreReadBackExactlyToTheFen() {
        String json = AccumulatorsJson.write(SOME);
        assertTrue(json.startsWith("{\"pools\":{"), json);
        assertTrue(json.contains("\"hifp_paid\":370978") && json.contains("\"account_balance\":-656563"), json);
        assertEquals(SOME, AccumulatorsJson.read(json));
        assertEquals(SOME, AccumulatorsJson.read(AccumulatorsJson.tree(SOME)));
        assertEquals(Accumulators.opening(Money.ZERO),
                AccumulatorsJson.read(AccumulatorsJson.write(Accumulators.opening(Money.ZERO))));
    }

    @Test
    @SuppressWarnings("deprecation")
    void whatAnEarlierVersionStoredIsStillRead() {
        String legacy = org.medsettle.api.settlement.AccumulatorsText.write(SOME);
        assertTrue(legacy.startsWith("P."), legacy);
        assertEquals(SOME, AccumulatorsJson.read(legacy));
        assertEquals(SOME, AccumulatorsJson.read("P.inpatient=1027444/370978/100000;"
                + "P.%E9%97%A8%E8%AF%8A+%E6%85%A2%E7%89%B9%E7%97%85%2F1=5/-3/0;A=2;L.HIFMI=12345/6789;M=4200;B=-656563"));
    }

    @Test
    void somethingElseIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccumulatorsJson.read("{\"pools\":{},\"inpatient_admissions\":\"x\"}"));
        assertTrue(e.getMessage().startsWith("not accumulators"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccumulatorsJson.read("{\"pool\":{}}"));
        assertThrows(IllegalArgumentException.class, () -> AccumulatorsJson.read("{\"layers\":{\"NOPE\":{}}}"));
        assertThrows(IllegalArgumentException.class, () -> AccumulatorsJson.read("Q=1"));
    }
}
