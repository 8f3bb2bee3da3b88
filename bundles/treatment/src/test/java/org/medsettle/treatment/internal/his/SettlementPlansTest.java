package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.store.testing.QueryPlans;

/**
 * What Derby does for each statement of a whole stay — admission (2401, the coverage asked of the insured node),
 * fee lines (2301), discharge (2402), pre-settlement (2303, the coverage again), settlement (2304) — at both nodes,
 * read from its plans: every one through an index (a table scan grows with the node's history), and none sorting what
 * it read (a sort, even of one row, is Derby's sorter set up for each execution: 1.5–2 µs, docs/performance.md,
 * session 25). {@link SettlementRoundTripsTest} counts the statements of a settlement; this holds how each runs.
 */
@Tag("database")
class SettlementPlansTest {

    private static final String PSN = HisTransactionsTest.PSN;

    private static String described(List<QueryPlans.Plan> plans) {
        return plans.stream().map(QueryPlans.Plan::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @Test
    void aWholeStaysStatementsAtBothNodesReadThroughIndexesAndSortNothing() {
        QueryPlans.Recorded insured = QueryPlans.freshDerby();
        QueryPlans.Recorded treatment = QueryPlans.freshDerby();
        HisClient his = SettlementRoundTripsTest.settledOnce(insured.store(), treatment.store());

        insured.plans().reset();
        treatment.plans().reset();
        String mdtrtId = SettlementRoundTripsTest.stay(his, PSN, 10);
        HisClient.ok(his.call("2303", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL)));
        JsonNode settled = HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL)));

        assertTrue(settled.path("setlinfo").path("setl_id").asText().length() > 0, settled.toString());
        for (QueryPlans.Recorded at : List.of(treatment, insured)) {
            List<QueryPlans.Plan> plans = at.plans().plans();
            String where = (at == treatment ? "at the treatment node:" : "at the insured node:") + described(plans);
            assertTrue(plans.size() >= 8, where);
            assertEquals(List.of(), plans.stream().filter(QueryPlans.Plan::sorts).toList(), where);
            assertEquals(List.of(), plans.stream().filter(QueryPlans.Plan::scansATable).toList(), where);
        }
    }
}
