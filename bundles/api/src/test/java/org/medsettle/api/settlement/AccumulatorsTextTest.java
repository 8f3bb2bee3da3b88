package org.medsettle.api.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Money;
import org.medsettle.api.policy.LayerFund;

class AccumulatorsTextTest {

    @Test
    void accumulatorsSurviveTheirTextExactly() {
        Accumulators a = new Accumulators(Map.of("inpatient", new PoolAccumulator(Money.ofFen(1027444), Money.ofFen(370978),
                Money.ofFen(100000)), "门诊 慢特病;=", new PoolAccumulator(Money.ofFen(-1), Money.ZERO, Money.ofFen(5))), 2,
                Map.of(LayerFund.HIFMI, new LayerAccumulator(Money.ofFen(99), Money.ofFen(-7))), Money.ofFen(12), Money.ofFen(-656563));
        assertEquals(a, AccumulatorsText.read(AccumulatorsText.write(a)));
        assertEquals(Accumulators.opening(Money.ZERO), AccumulatorsText.read(AccumulatorsText.write(Accumulators.opening(Money.ZERO))));
    }

    @Test
    void garbageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AccumulatorsText.read("P.x=1/2;A=1"));
        assertThrows(IllegalArgumentException.class, () -> AccumulatorsText.read("Q=1"));
    }
}
