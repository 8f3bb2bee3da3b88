package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.store.Actor;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.CountingDataSource;
import org.medsettle.store.testing.TestStores;

/**
 * What one settlement (2304) costs in round trips to each node's database — transactions, statements, generated keys
 * read back — counted at the JDBC driver, held to a budget: a change that adds a transaction or a statement to the
 * hot path fails here, whatever the load driver's noisy figures say (docs/performance.md, "Round trips per
 * settlement").
 */
@Tag("database")
class SettlementRoundTripsTest {

    private static final String PSN = HisTransactionsTest.PSN;

    /** The 2401 input of {@code psnNo} admitted on that day of March 2026 at 9:00. */
    static ObjectNode admissionOn(String psnNo, int day) {
        ObjectNode admission = HisTransactionsTest.admission(psnNo);
        ((ObjectNode) admission.get("mdtrtinfo")).put("begntime", String.format("2026-03-%02d 09:00:00", day));
        return admission;
    }

    /** The person admitted on 10 March 2026: the visit's mdtrt_id. */
    private static String admittedOnThe10th(HisClient his) {
        return HisClient.ok(his.call("2401", "630000", admissionOn(PSN, 10))).path("result").path("mdtrt_id").asText();
    }

    /** The test bill's four lines for that visit, billed on 11 March 2026. */
    private static ObjectNode feesOnThe11th(String mdtrtId) {
        ObjectNode fees = HisTransactionsTest.fees(mdtrtId, PSN);
        fees.get("feedetail").forEach(l -> ((ObjectNode) l).put("fee_ocur_time", "2026-03-11 10:00:00"));
        return fees;
    }

    /** A stay of {@code psnNo} in the given days of March 2026, admitted, billed and discharged. */
    static String stay(HisClient his, String psnNo, int admittedDay) {
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admissionOn(psnNo, admittedDay))).path("result")
                .path("mdtrt_id").asText();
        ObjectNode fees = HisTransactionsTest.fees(mdtrtId, psnNo);
        fees.get("feedetail").forEach(l -> ((ObjectNode) l).put("fee_ocur_time",
                String.format("2026-03-%02d 10:00:00", admittedDay + 1)));
        HisClient.ok(his.call("2301", "630000", fees));
        ObjectNode discharge = HisTransactionsTest.discharge(mdtrtId, psnNo);
        ((ObjectNode) discharge.get("dscginfo")).put("endtime", String.format("2026-03-%02d 10:00:00", admittedDay + 3));
        HisClient.ok(his.call("2402", "630000", discharge));
        return mdtrtId;
    }

    /**
     * A treatment node (330000) and the insured node (630000) on the stores given, the person filed there and settled
     * once — their first settlement opens their account at the insured place (once in a lifetime), which a test of
     * what a settlement costs leaves out; the HIS client of hospital 3.
     */
    static HisClient settledOnce(StoreComponent insuredStore, StoreComponent treatmentStore) {
        Network network = new Network();
        Network.InsuredNode home = new Network.InsuredNode("630000", insuredStore, network.clock, network.policies);
        network.insured.put("630000", home);
        home.importPersons(HisTransactionsTest.PERSONS);
        home.filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        Network.TreatmentNode node = network.treatment("330000", treatmentStore);
        HisClient his = new HisClient(node, node.hospital(3));
        HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(stay(his, PSN, 1), PSN,
                HisTransactionsTest.TOTAL)));
        return his;
    }

    /** An estimate's output without {@code setl_time} (the second it was computed in). */
    private static JsonNode untimed(JsonNode output) {
        JsonNode copy = output.deepCopy();
        ((ObjectNode) copy.path("setlinfo")).remove("setl_time");
        return copy;
    }

    @Test
    void aSettlementIsTwoTransactionsAtTheTreatmentNodeAndOneAtTheInsuredNodeWithTheirStatementsCounted() {
        TestStores.Counted insured = TestStores.freshCounted();
        TestStores.Counted treatment = TestStores.freshCounted();
        HisClient his = settledOnce(insured.store(), treatment.store());
        String mdtrtId = stay(his, PSN, 10);

        insured.counter().reset();
        treatment.counter().reset();
        JsonNode settled = HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL)));
        CountingDataSource.Counts atTreatment = treatment.counter().counts();
        CountingDataSource.Counts atInsured = insured.counter().counts();
        System.out.println("2304 at the treatment node: " + atTreatment + "; at the insured node: " + atInsured);
        String treatmentSql = "\n  " + String.join("\n  ", treatment.counter().prepared());
        String insuredSql = "\n  " + String.join("\n  ", insured.counter().prepared());
        System.out.println("prepared at the treatment node:" + treatmentSql + "\nprepared at the insured node:" + insuredSql);

        assertTrue(settled.path("setlinfo").path("setl_id").asText().length() > 0, settled.toString());
        // the treatment node: a read (msgid, pending settlement, visit, bill, supervision rules) with the PENDING row
        // (the coverage known since the admission: computed between the reads and the write), then the commit
        // (settlement, visit, ledger posting with its id read back, supervision record, notice, audit, answer)
        assertEquals(new CountingDataSource.Counts(2, 2, 12, 1), atTreatment, "at the treatment node:" + treatmentSql);
        // the insured node: the filing, the person and the apply (accumulators, settlement, ledger posting with its
        // id read back, audit) in one transaction
        assertEquals(new CountingDataSource.Counts(1, 1, 9, 1), atInsured, "at the insured node:" + insuredSql);
    }

    @Test
    void anAdmissionReadsTheCoverageInOneTransactionAtTheInsuredNodeAndAPreSettlementItsMsgidWithTheVisit() {
        TestStores.Counted insured = TestStores.freshCounted();
        TestStores.Counted treatment = TestStores.freshCounted();
        HisClient his = settledOnce(insured.store(), treatment.store());

        insured.counter().reset();
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admissionOn(PSN, 10))).path("result").path("mdtrt_id")
                .asText();
        // the person, the filing, the account and the year's accumulators: one read transaction
        assertEquals(new CountingDataSource.Counts(1, 1, 4, 0), insured.counter().counts(),
                "2401 at the insured node: " + insured.counter().prepared());

        ObjectNode fees = HisTransactionsTest.fees(mdtrtId, PSN);
        fees.get("feedetail").forEach(l -> ((ObjectNode) l).put("fee_ocur_time", "2026-03-11 10:00:00"));
        HisClient.ok(his.call("2301", "630000", fees));
        ObjectNode discharge = HisTransactionsTest.discharge(mdtrtId, PSN);
        ((ObjectNode) discharge.get("dscginfo")).put("endtime", "2026-03-13 10:00:00");
        ObjectNode discharged = his.envelope("2402", "630000", discharge);
        String dischargeMsgid = discharged.path("msgid").asText();
        HisClient.ok(his.send(discharged));

        insured.counter().reset();
        treatment.counter().reset();
        ObjectNode pre = his.envelope("2303", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL));
        JsonNode estimate = HisClient.ok(his.send(pre));
        // the coverage the admission read moments ago (preSettlementKnownMinutes): the insured node is not asked
        assertEquals(new CountingDataSource.Counts(0, 0, 0, 0), insured.counter().counts(),
                "2303 at the insured node: " + insured.counter().prepared());
        // the msgid's record, the visit with its bill and the person's other visits (supervision): one transaction
        assertEquals(new CountingDataSource.Counts(1, 1, 3, 0), treatment.counter().counts(),
                "2303 at the treatment node: " + treatment.counter().prepared());
        assertTrue(treatment.counter().prepared().get(0).contains("FROM his_message"),
                "the msgid is read first: " + treatment.counter().prepared());
        // asked (preSettlementKnownMinutes = 0): one read transaction there, the same estimate
        his.node().his.modified(java.util.Map.of("admissionMaxAgeDays", "3650", "preSettlementKnownMinutes", "0"));
        insured.counter().reset();
        treatment.counter().reset();
        assertEquals(untimed(estimate), untimed(HisClient.ok(his.call("2303", "630000",
                HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL)))));
        assertEquals(new CountingDataSource.Counts(1, 1, 4, 0), insured.counter().counts(),
                "2303 at the insured node: " + insured.counter().prepared());
        assertEquals(new CountingDataSource.Counts(1, 1, 3, 0), treatment.counter().counts(),
                "2303 at the treatment node: " + treatment.counter().prepared());

        // 2303 stores nothing: the same request again is the estimate computed again; a msgid another request used
        // is refused, found in that same transaction
        assertEquals(untimed(estimate), untimed(HisClient.ok(his.send(pre))));
        ObjectNode reused = his.envelope("2303", dischargeMsgid, "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL));
        treatment.counter().reset();
        JsonNode refused = his.send(reused);
        assertTrue(refused.path("err_msg").asText().contains("was already used for a different request"),
                refused.toString());
        assertEquals(1, treatment.counter().counts().connections(), treatment.counter().prepared().toString());
    }

    @Test
    void anUploadAndADischargeAreOneTransactionEachWithTheirMsgidReadInsideAndARepeatChangesNothing() {
        TestStores.Counted insured = TestStores.freshCounted();
        TestStores.Counted treatment = TestStores.freshCounted();
        HisClient his = settledOnce(insured.store(), treatment.store());
        String mdtrtId = admittedOnThe10th(his);
        ObjectNode fees = feesOnThe11th(mdtrtId);
        ObjectNode discharge = HisTransactionsTest.discharge(mdtrtId, PSN);
        ((ObjectNode) discharge.get("dscginfo")).put("endtime", "2026-03-13 10:00:00");

        for (var request : java.util.List.of(java.util.Map.entry("2301", fees), java.util.Map.entry("2402", discharge))) {
            treatment.counter().reset();
            ObjectNode envelope = his.envelope(request.getKey(), "630000", request.getValue());
            JsonNode first = HisClient.ok(his.send(envelope));
            CountingDataSource.Counts once = treatment.counter().counts();
            // one transaction: the msgid's record read, the change, the answer kept
            assertEquals(1, once.connections(), request.getKey() + ": " + once + treatment.counter().prepared());
            assertEquals(1, once.commits(), request.getKey() + ": " + once);

            treatment.counter().reset();
            JsonNode repeated = HisClient.ok(his.send(envelope));
            CountingDataSource.Counts again = treatment.counter().counts();
            assertEquals(first, repeated, request.getKey() + ": the first answer again");
            // the repeat reads the msgid's record in that transaction and writes nothing
            assertEquals(new CountingDataSource.Counts(1, 1, 1, 0), again, request.getKey() + ": "
                    + treatment.counter().prepared());

            // the msgid again with input refused before any transaction: still the msgid's answer, not the input's
            ObjectNode broken = envelope.deepCopy();
            ((ObjectNode) broken.get("input")).removeAll();
            JsonNode reused = his.send(broken);
            assertTrue(reused.path("err_msg").asText().contains("was already used for a different request"),
                    request.getKey() + ": " + reused);
        }
    }

    @Test
    void anUploadLooksAtTheVisitsCancelledLinesOnlyOnceItHasSomeAndThenFindsTheSerialFreeAgain() {
        TestStores.Counted insured = TestStores.freshCounted();
        TestStores.Counted treatment = TestStores.freshCounted();
        HisClient his = settledOnce(insured.store(), treatment.store());
        String mdtrtId = admittedOnThe10th(his);
        ObjectNode fees = feesOnThe11th(mdtrtId);

        treatment.counter().reset();
        HisClient.ok(his.call("2301", "630000", fees));
        // the msgid's record, the visit taken and read, its uploads' serials, the lines and the message written, the
        // answer kept — fee_line, which only a cancellation fills, not looked at (visit.fee_rows read under the lock)
        assertEquals(new CountingDataSource.Counts(1, 1, 7, 0), treatment.counter().counts(),
                treatment.counter().prepared().toString());
        assertTrue(treatment.counter().prepared().stream().noneMatch(sql -> sql.contains("FROM fee_line")),
                treatment.counter().prepared().toString());

        // line 0002 cancelled (2302): a row of fee_line now; uploaded again under its serial, it is found cancelled
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0002").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        HisClient.ok(his.call("2302", "630000", cancel));
        ObjectNode again = HisTransactionsTest.fees(mdtrtId, PSN);
        ((com.fasterxml.jackson.databind.node.ArrayNode) again.get("feedetail")).remove(3);
        ((com.fasterxml.jackson.databind.node.ArrayNode) again.get("feedetail")).remove(2);
        ((com.fasterxml.jackson.databind.node.ArrayNode) again.get("feedetail")).remove(0);
        again.get("feedetail").forEach(l -> ((ObjectNode) l).put("fee_ocur_time", "2026-03-11 11:00:00"));
        treatment.counter().reset();
        HisClient.ok(his.call("2301", "630000", again));
        assertTrue(treatment.counter().prepared().stream().anyMatch(sql -> sql.contains("FROM fee_line")),
                treatment.counter().prepared().toString());
        // and a serial still active is refused, wherever its line is kept
        treatment.counter().reset();
        JsonNode twice = his.call("2301", "630000", again);
        assertEquals("-2", twice.path("infcode").asText(), twice.toString());
        assertTrue(twice.path("err_msg").asText().contains("0002 was uploaded before"), twice.toString());
    }

    @Test
    void aRepeatOfAnAdmissionGetsItsFirstAnswerWithoutAskingTheInsuredPlaceAgain() {
        // 2401 asks the insured place before it commits: it reads its msgid before that (MsgidLookUp.BEFORE in
        // HisService's table), so that a repeat makes no second exchange. (2303 stores nothing: its repeat is the
        // estimate computed again, as it is now.)
        TestStores.Counted insured = TestStores.freshCounted();
        TestStores.Counted treatment = TestStores.freshCounted();
        HisClient his = settledOnce(insured.store(), treatment.store());
        ObjectNode admit = his.envelope("2401", "630000", admissionOn(PSN, 20));
        insured.counter().reset();
        JsonNode admitted = HisClient.ok(his.send(admit));
        assertTrue(insured.counter().counts().statements() > 0, "the first admission asks the insured place");

        insured.counter().reset();
        treatment.counter().reset();
        assertEquals(admitted, HisClient.ok(his.send(admit)), "2401: the first answer again");
        assertEquals(new CountingDataSource.Counts(0, 0, 0, 0), insured.counter().counts(),
                "2401's repeat does not ask the insured place");
        assertEquals(new CountingDataSource.Counts(1, 1, 1, 0), treatment.counter().counts(),
                "2401's repeat: its msgid's record read, nothing written: " + treatment.counter().prepared());
    }
}
