package org.medsettle.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsettle.api.settlement.SettlementOutcome;

/** The benchmark still runs and settles what it claims to (never how fast: that is measured by JMH only). */
class EngineBenchmarkTest {

    @Test
    void theBenchmarkSettlesAThirtyLineVisitWithEveryFundInPlay() {
        EngineBenchmark benchmark = new EngineBenchmark();
        benchmark.setUp();
        SettlementOutcome outcome = benchmark.settleAThirtyLineInpatientVisit();
        assertEquals(30, outcome.items().size());
        assertTrue(outcome.amounts().fulamtOwnpayAmt().isPositive(), "class C lines present");
        assertTrue(outcome.amounts().overlmtSelfpay().isPositive(), "lines above their price limit present");
        assertTrue(outcome.amounts().preselfpayAmt().isPositive(), "class B lines present");
        assertTrue(outcome.amounts().hifpPay().isPositive());
        assertTrue(outcome.amounts().acctPay().isPositive());
    }
}
