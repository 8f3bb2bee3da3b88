package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TargetsTest {

    private static Map<String, Double> cpu(double... percents) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < percents.length; i++) {
            m.put("process " + i, percents[i]);
        }
        return m;
    }

    @Test
    void cpuPerSettlementIsEveryProcesssShareOverTheSettlementsPerSecond() {
        // 106 % + 21 % + 54 % + 14 % of a core at 293.7/s: 195 % = 1.95 core-seconds per second, 6.64 ms each
        assertEquals(6.64, Targets.cpuMsPerOperation(cpu(106, 21, 54, 14), 293.7), 0.005);
    }

    @Test
    void aSettlementStepIsMeasuredAgainstThroughputP99AndCpuPerSettlement() {
        List<Targets.Check> slow = Targets.of(LoadDriver.Flow.SETTLEMENTS, 293.7, 0, 119, cpu(106, 21, 54, 14));
        assertEquals(3, slow.size());
        assertTrue(slow.stream().noneMatch(Targets.Check::met), slow.toString());
        assertTrue(slow.get(2).toString().contains("NOT met (6.64 ms)"), slow.toString());
        List<Targets.Check> fast = Targets.of(LoadDriver.Flow.SETTLEMENTS, 1000, 0, 50, cpu(100, 40, 30, 10));
        assertTrue(fast.stream().allMatch(Targets.Check::met), fast.toString());
        assertFalse(Targets.of(LoadDriver.Flow.SETTLEMENTS, 1000, 0, 50, Map.of()).get(2).met(),
                "no CPU measured is no target met");
    }

    @Test
    void uploadsAndStaysHaveTheirOwnTargets() {
        assertTrue(Targets.of(LoadDriver.Flow.UPLOADS, 0, 30_000, 99, cpu()).get(0).met());
        assertFalse(Targets.of(LoadDriver.Flow.UPLOADS, 0, 22_971, 25, cpu()).get(0).met());
        assertFalse(Targets.of(LoadDriver.Flow.STAYS, 215, 6_449, 37, cpu()).get(0).met());
        assertTrue(Targets.of(LoadDriver.Flow.STAYS, 500, 15_000, 37, cpu()).get(0).met());
    }

    @org.junit.jupiter.api.Test
    void aLineOfCpuPerOperationGivesEachProcessAndTheirSumInMilliseconds() {
        java.util.Map<String, Double> percent = new java.util.LinkedHashMap<>();
        percent.put("treatment node", 50.0);
        percent.put("load driver", 25.0);
        // 50 % of a core at 100 operations a second: 5 ms each
        org.junit.jupiter.api.Assertions.assertEquals("x: treatment node 5.00, load driver 2.50, all processes 7.50",
                LoadDriver.msPerOperation("x:", percent, 100));
    }
}
