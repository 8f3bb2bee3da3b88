package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * A stay of {@link #PSN}: admitted at {@code begin}, the four fee lines of {@link HisTransactionsTest#fees} at
     * {@code feeTime}, discharged at {@code end} (if not null), settled if {@code settle}; its mdtrt_id.
     */
    private static String stay(HisClient his, String begin, String feeTime, String end, boolean settle) {
        ObjectNode admission = HisTransactionsTest.admission(PSN);
        ((ObjectNode) admission.get("mdtrtinfo")).put("begntime", begin);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission)).path("result").path("mdtrt_id").asText();
        if (feeTime != null) {
            ObjectNode fees = HisTransactionsTest.fees(mdtrtId, PSN);
            fees.get("feedetail").forEach(l -> ((ObjectNode) l).put("fee_ocur_time", feeTime));
            HisClient.ok(his.call("2301", "630000", fees));
        }
        if (end != null) {
            ObjectNode discharge = HisTransactionsTest.discharge(mdtrtId, PSN);
            ((ObjectNode) discharge.get("dscginfo")).put("endtime", end);
            HisClient.ok(his.call("2402", "630000", discharge));
        }
        if (settle) {
            HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                    HisTransactionsTest.TOTAL)));
        }
        return mdtrtId;
    }

    @Test
    void theSupervisionRulesReadOnlyThePersonsVisitsThatCanMeetTheSettledOneHoweverManyCameBefore() {
        QueryPlans.Recorded insured = QueryPlans.freshDerby();
        QueryPlans.Recorded treatment = QueryPlans.freshDerby();
        HisClient his = SettlementRoundTripsTest.settledOnce(insured.store(), treatment.store());
        java.time.LocalDateTime day = java.time.LocalDateTime.of(2026, 4, 1, 9, 0);
        for (int i = 0; i < 30; i++, day = day.plusDays(2)) {
            // over before the settled stay: never met, whatever the rules
            stay(his, time(day), time(day.plusHours(1)), time(day.plusDays(1)), true);
        }
        String open = stay(his, "2026-06-20 09:00:00", null, null, false);
        // over before the settled stay, its lines dated in it (fees may come up to 190 days after a discharge)
        String billedLater = stay(his, "2026-05-31 09:00:00", "2026-07-02 10:00:00", "2026-06-01 10:00:00", true);
        String mdtrtId = stay(his, "2026-07-01 09:00:00", "2026-07-02 10:00:00", "2026-07-04 10:00:00", false);

        treatment.plans().reset();
        JsonNode answer = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL));

        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        String warning = answer.path("warn_msg").asText();
        assertTrue(warning.contains(open), "the open stay overlaps: " + warning);
        assertTrue(warning.contains("was settled in visit " + billedLater), "the same items at the same time: " + warning);
        QueryPlans.Plan history = treatment.plans().single("index=visit_person_end");
        // the person has 34 visits at the node; what is read is the few that can meet this one (open, ending or
        // billed in it, the settled stay itself) and none of the 31 over before it
        history.indexedVisitingAtMost(8);
    }

    private static String time(java.time.LocalDateTime t) {
        return t.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }
}
