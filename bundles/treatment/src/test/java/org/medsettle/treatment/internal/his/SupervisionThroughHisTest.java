package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.api.supervision.Supervision;
import org.medsettle.api.supervision.Supervision.FlagQuery;
import org.medsettle.api.supervision.Supervision.Outcome;
import org.medsettle.api.supervision.Supervision.Review;
import org.medsettle.api.supervision.Supervision.Rule;
import org.medsettle.store.internal.StoreComponent;

/**
 * The supervision rules (就医地管理) on settlements through the HIS interface, at a treatment node (330000, real
 * Derby, the real supervision service and ledger) with the patients insured at 630000: each rule flags by default
 * (the settlement goes through, the flag is committed with it, the hospital's answer carries it in warn_msg), blocks
 * when set to (refused -2, nothing settled, the refusal recorded), and is reviewed by an administrator (audited).
 */
@org.junit.jupiter.api.Tag("database")
class SupervisionThroughHisTest {

    private Network network;
    private Network.TreatmentNode node;
    private Network.InsuredNode home;
    private HisClient third;
    private HisClient second;

    @BeforeEach
    void setUp() {
        network = new Network();
        home = network.insured("630000");
        home.importPersons(HisTransactionsTest.PERSONS);
        node = network.treatment("330000");
        third = new HisClient(node, node.hospital(3));
        second = new HisClient(node, node.hospital(2));
        for (String psn : List.of(HisTransactionsTest.PSN, HisTransactionsTest.PSN2)) {
            home.filings.file(new FilingRequest(psn, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                    LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                    Actor.console("agency"), "test");
        }
    }

    private static final String PSN = HisTransactionsTest.PSN;

    /** A fee line: serial, code, time, unit price, quantity. */
    private record Fee(String sn, String code, String time, String pric, String cnt) {
    }

    private static ObjectNode admission(String begin) {
        ObjectNode in = HisTransactionsTest.admission(PSN);
        ((ObjectNode) in.get("mdtrtinfo")).put("begntime", begin);
        return in;
    }

    private static ObjectNode fees(String mdtrtId, List<Fee> fees) {
        ObjectNode in = HisClient.object();
        ArrayNode lines = in.putArray("feedetail");
        for (Fee f : fees) {
            ObjectNode l = lines.addObject();
            l.put("feedetl_sn", f.sn());
            l.put("mdtrt_id", mdtrtId);
            l.put("psn_no", PSN);
            l.put("fee_ocur_time", f.time());
            l.put("med_list_codg", f.code());
            l.put("medins_list_codg", "H" + f.sn());
            l.put("pric", new BigDecimal(f.pric()));
            l.put("cnt", new BigDecimal(f.cnt()));
            l.put("det_item_fee_sumamt", new BigDecimal(f.pric()).multiply(new BigDecimal(f.cnt())));
        }
        return in;
    }

    private static BigDecimal total(List<Fee> fees) {
        return fees.stream().map(f -> new BigDecimal(f.pric()).multiply(new BigDecimal(f.cnt())))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
    }

    /** A stay admitted, billed and discharged (not settled): its mdtrt_id. */
    private String stay(HisClient client, String begin, String end, List<Fee> fees) {
        String mdtrtId = HisClient.ok(client.call("2401", "630000", admission(begin))).path("result").path("mdtrt_id")
                .asText();
        HisClient.ok(client.call("2301", "630000", fees(mdtrtId, fees)));
        ObjectNode d = HisTransactionsTest.discharge(mdtrtId, PSN);
        ((ObjectNode) d.get("dscginfo")).put("endtime", end);
        HisClient.ok(client.call("2402", "630000", d));
        return mdtrtId;
    }

    /** The envelope of a request that succeeded (its warn_msg is the envelope's). */
    private static JsonNode succeeded(JsonNode envelope) {
        assertEquals("0", envelope.path("infcode").asText(), envelope.toString());
        assertTrue(envelope.has("warn_msg"), envelope.toString());
        return envelope;
    }

    private JsonNode settle(HisClient client, String mdtrtId, List<Fee> fees) {
        return client.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, total(fees)));
    }

    /** A daily bill: a blood test (血常规) every day from the first to the last day. */
    private static List<Fee> daily(String from, int days, String serialPrefix) {
        return daily(from, days, serialPrefix, "10:00:00");
    }

    private static List<Fee> daily(String from, int days, String serialPrefix, String time) {
        List<Fee> fees = new ArrayList<>();
        LocalDate d = LocalDate.parse(from);
        for (int i = 0; i < days; i++) {
            fees.add(new Fee(serialPrefix + String.format("%03d", i), "000141388808906", d.plusDays(i) + " " + time,
                    "9.00", "1"));
        }
        return fees;
    }

    private List<Supervision.Flag> flags() {
        return node.supervision.flags(FlagQuery.all(100));
    }

    private List<String> books() {
        List<String> counts = new ArrayList<>();
        for (StoreComponent store : List.of(node.store, home.store)) {
            store.inTransaction("count", c -> {
                for (String table : List.of("settlement", "insured_settlement", "ledger_posting")) {
                    if (store == home.store && table.equals("ledger_posting")) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + (table.equals(
                            "settlement") ? " WHERE state = 'SETTLED'" : "")); ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.add(table + "=" + rs.getInt(1));
                    }
                }
                return null;
            });
        }
        counts.add("balance=" + home.balance(PSN));
        return counts;
    }

    @Test
    void aStayBilledEveryDayOfOneHospitalIsSettledWithoutAFlag() {
        List<Fee> fees = daily("2026-03-01", 5, "A");
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", fees);
        JsonNode answer = succeeded(settle(third, mdtrtId, fees));
        assertEquals("", answer.path("warn_msg").asText());
        assertTrue(flags().isEmpty(), flags().toString());
    }

    @Test
    void beingInHospitalAtTwoHospitalsAtOnceIsFlaggedAndTheSettlementGoesThrough() {
        List<Fee> first = daily("2026-03-01", 5, "A");
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", first);
        HisClient.ok(settle(third, a, first));
        List<Fee> second = daily("2026-03-03", 4, "B", "11:00:00");
        String b = stay(this.second, "2026-03-03 09:00:00", "2026-03-06 10:00:00", second);
        JsonNode answer = succeeded(settle(this.second, b, second));
        assertTrue(answer.path("warn_msg").asText().contains("overlapping-stay: in hospital at " + node.hospital(3)),
                answer.path("warn_msg").asText());
        List<Supervision.Flag> flags = flags();
        assertEquals(1, flags.size(), flags.toString());
        Supervision.Flag f = flags.get(0);
        assertEquals(Rule.OVERLAPPING_STAY, f.rule());
        assertEquals(Outcome.SETTLED, f.outcome());
        assertEquals(Optional.of(answer.path("output").path("setlinfo").path("setl_id").asText()), f.setlId());
        assertEquals(b, f.mdtrtId());
        assertEquals(node.hospital(2), f.hospital());
        assertTrue(f.detail().contains(a), f.detail());
        assertEquals(Review.OPEN, f.review());
    }

    @Test
    void amongAPersonsEarlierStaysOnlyThoseMeetingTheSettledStayAreFlaggedAnOpenOneIncluded() {
        // earlier stays over before this one began: never an overlap
        List<Fee> january = daily("2026-01-05", 4, "J");
        String jan = stay(third, "2026-01-05 09:00:00", "2026-01-08 10:00:00", january);
        HisClient.ok(settle(third, jan, january));
        List<Fee> february = daily("2026-02-01", 4, "F");
        String feb = stay(second, "2026-02-01 09:00:00", "2026-02-04 10:00:00", february);
        HisClient.ok(settle(second, feb, february));
        // admitted at the second hospital on 25 February and never discharged: lasts until now
        String open = HisClient.ok(second.call("2401", "630000", admission("2026-02-25 09:00:00"))).path("result")
                .path("mdtrt_id").asText();
        // discharged on 2 March, after this one's admission on 1 March
        List<Fee> before = daily("2026-02-27", 3, "B", "08:00:00");
        String endingDuring = stay(third, "2026-02-27 09:00:00", "2026-03-02 10:00:00", before);
        HisClient.ok(settle(third, endingDuring, before));

        List<Fee> fees = daily("2026-03-01", 5, "M", "11:00:00");
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", fees);
        String warning = succeeded(settle(third, mdtrtId, fees)).path("warn_msg").asText();
        assertTrue(warning.contains(open) && warning.contains(endingDuring), warning);
        assertFalse(warning.contains(jan) || warning.contains(feb), warning);
        Supervision.Flag flag = flags().stream().filter(f -> f.mdtrtId().equals(mdtrtId)).findFirst().orElseThrow();
        assertEquals(Rule.OVERLAPPING_STAY, flag.rule());
        assertTrue(flag.detail().contains(open) && flag.detail().contains(endingDuring), flag.detail());
        assertFalse(flag.detail().contains(jan) || flag.detail().contains(feb), flag.detail());
    }

    @Test
    void aTransferOnTheDayOfDischargeIsNotAnOverlap() {
        List<Fee> first = daily("2026-03-01", 5, "A");
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", first);
        HisClient.ok(settle(third, a, first));
        List<Fee> second = daily("2026-03-05", 3, "B", "15:00:00");
        String b = stay(this.second, "2026-03-05 14:00:00", "2026-03-07 10:00:00", second);
        assertEquals("", succeeded(settle(this.second, b, second)).path("warn_msg").asText());
        assertTrue(flags().isEmpty(), flags().toString());
    }

    @Test
    void aBlockingRuleRefusesTheSettlementChangesNothingAndRecordsTheRefusal() {
        List<Fee> first = daily("2026-03-01", 5, "A");
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", first);
        HisClient.ok(settle(third, a, first));
        List<Fee> second = daily("2026-03-03", 4, "B", "11:00:00");
        String b = stay(this.second, "2026-03-03 09:00:00", "2026-03-06 10:00:00", second);
        node.supervision.modified(Map.of("overlapping-stay", "block"));
        List<String> before = books();
        JsonNode pre = this.second.call("2303", "630000", HisTransactionsTest.settlement(b, PSN, total(second)));
        assertEquals("-2", pre.path("infcode").asText(), pre.toString());
        JsonNode refused = settle(this.second, b, second);
        assertEquals("-2", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("refused by the province's supervision rules"),
                refused.path("err_msg").asText());
        assertTrue(refused.path("err_msg").asText().contains("overlapping-stay"), refused.path("err_msg").asText());
        assertEquals(before, books(), "a refused settlement settles nothing, anywhere");
        List<Supervision.Flag> flags = flags();
        assertEquals(1, flags.size(), "the refusal is recorded, the pre-settlement's is not: " + flags);
        assertEquals(Outcome.REFUSED, flags.get(0).outcome());
        assertEquals(Supervision.Mode.BLOCK, flags.get(0).mode());
        assertEquals(Optional.empty(), flags.get(0).setlId());
        // set back to flag (etc/org.medsettle.supervision.cfg, no restart): the same visit settles
        node.supervision.modified(Map.of("overlapping-stay", "flag"));
        HisClient.ok(settle(this.second, b, second));
        assertEquals(2, flags().size());
    }

    @Test
    void theSameItemAtTheSameTimeBilledTwiceOrSettledInAnotherVisitIsFlagged() {
        List<Fee> first = daily("2026-03-01", 5, "A");
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", first);
        HisClient.ok(settle(third, a, first));
        // a later stay billing the blood test of 03-02 10:00 again, and one of its own twice
        List<Fee> second = new ArrayList<>(daily("2026-03-10", 3, "B"));
        second.add(new Fee("C001", "000141388808906", "2026-03-02 10:00:00", "9.00", "1"));
        second.add(new Fee("C002", "000141388808906", "2026-03-10 10:00:00", "9.00", "1"));
        String b = stay(third, "2026-03-10 09:00:00", "2026-03-12 10:00:00", second);
        JsonNode answer = succeeded(settle(third, b, second));
        assertTrue(answer.path("warn_msg").asText().contains("repeated-fee-item"), answer.toString());
        Supervision.Flag f = flags().get(0);
        assertEquals(Rule.REPEATED_FEE_ITEM, f.rule());
        assertTrue(f.detail().contains("billed 2 times at 2026-03-10 10:00 (feedetl_sn B000, C002)"), f.detail());
        assertTrue(f.detail().contains("was settled in visit " + a + " already (feedetl_sn A001)"), f.detail());
    }

    @Test
    void anItemUploadedToAnotherVisitAfterItsDischargeAndSettledThereIsARepeatWhenBilledAgain() {
        // visit A: its bill, then one more upload after the discharge, of an item of 03-20 (the span of A's fee
        // times widened by that upload)
        List<Fee> first = new ArrayList<>(daily("2026-03-01", 5, "A"));
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", first);
        Fee late = new Fee("A100", "000141388808906", "2026-03-20 10:00:00", "9.00", "1");
        HisClient.ok(third.call("2301", "630000", fees(a, List.of(late))));
        first.add(late);
        HisClient.ok(settle(third, a, first));
        // visit B bills the same item at the same time
        List<Fee> second = new ArrayList<>(daily("2026-03-19", 3, "B", "11:00:00"));
        second.add(new Fee("C001", "000141388808906", "2026-03-20 10:00:00", "9.00", "1"));
        String b = stay(third, "2026-03-19 09:00:00", "2026-03-21 12:00:00", second);
        JsonNode answer = succeeded(settle(third, b, second));
        assertTrue(answer.path("warn_msg").asText().contains("repeated-fee-item"), answer.toString());
        Supervision.Flag f = flags().stream().filter(x -> x.rule() == Rule.REPEATED_FEE_ITEM).findFirst().orElseThrow();
        assertTrue(f.detail().contains("was settled in visit " + a + " already (feedetl_sn A100)"), f.detail());
    }

    @Test
    void anItemOfAnotherVisitTakenBackThereByAReversalDatedLaterIsNotARepeat() {
        List<Fee> fees = new ArrayList<>(daily("2026-03-01", 3, "A"));
        fees.add(new Fee("B001", "000141388808906", "2026-03-01 15:00:00", "9.00", "1"));
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-03 12:00:00", fees);
        // B001 reversed by a line dated two days later
        ObjectNode reversal = fees(a, List.of(new Fee("B002", "000141388808906", "2026-03-03 11:00:00", "9.00", "-1")));
        ((ObjectNode) reversal.get("feedetail").get(0)).put("init_feedetl_sn", "B001");
        HisClient.ok(third.call("2301", "630000", reversal));
        fees.add(new Fee("B002", "000141388808906", "2026-03-03 11:00:00", "9.00", "-1"));
        HisClient.ok(settle(third, a, fees));
        // a later stay billing the item at B001's time again (a line before its admission)
        List<Fee> second = new ArrayList<>(daily("2026-03-10", 2, "C"));
        second.add(new Fee("D001", "000141388808906", "2026-03-01 15:00:00", "9.00", "1"));
        String b = stay(third, "2026-03-10 09:00:00", "2026-03-11 12:00:00", second);
        HisClient.ok(settle(third, b, second));
        assertTrue(flags().stream().noneMatch(f -> f.rule() == Rule.REPEATED_FEE_ITEM), flags().toString());
    }

    @Test
    void aLineTakenBackByItsReversalIsNotARepeat() {
        List<Fee> fees = new ArrayList<>(daily("2026-03-01", 3, "A"));
        fees.add(new Fee("B001", "000141388808906", "2026-03-01 10:00:00", "9.00", "1"));
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-03 10:00:00", fees);
        // the reversal of B001 (negative quantity, init_feedetl_sn)
        ObjectNode reversal = fees(mdtrtId, List.of(new Fee("B002", "000141388808906", "2026-03-01 10:00:00", "9.00",
                "-1")));
        ((ObjectNode) reversal.get("feedetail").get(0)).put("init_feedetl_sn", "B001");
        HisClient.ok(third.call("2301", "630000", reversal));
        List<Fee> net = new ArrayList<>(fees);
        net.add(new Fee("B002", "000141388808906", "2026-03-01 10:00:00", "9.00", "-1"));
        assertEquals("", succeeded(settle(third, mdtrtId, net)).path("warn_msg").asText());
        assertTrue(flags().isEmpty(), flags().toString());
    }

    @Test
    void daysOfAStayWithoutAnyFeeAreFlaggedAsIdle() {
        // admitted 03-01, billed 03-01 and 03-09, discharged 03-10: 03-02 to 03-08 without a fee (挂床)
        List<Fee> fees = List.of(new Fee("A001", "000141388808906", "2026-03-01 10:00:00", "9.00", "1"),
                new Fee("A002", "000141388808906", "2026-03-09 10:00:00", "9.00", "1"));
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-10 10:00:00", fees);
        HisClient.ok(settle(third, mdtrtId, fees));
        Supervision.Flag f = flags().get(0);
        assertEquals(Rule.IDLE_STAY, f.rule());
        assertTrue(f.detail().contains("nothing billed on 7 consecutive days of the stay, 2026-03-02 to 2026-03-08"),
                f.detail());
    }

    @Test
    void aBedFeeBilledMoreTimesThanTheStayHasDaysIsFlagged() {
        List<Fee> fees = new ArrayList<>(daily("2026-03-01", 5, "A"));
        fees.add(new Fee("B001", "006362986314296", "2026-03-01 10:00:00", "40.00", "6"));
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", fees);
        HisClient.ok(settle(third, mdtrtId, fees));
        Supervision.Flag f = flags().get(0);
        assertEquals(Rule.IMPLAUSIBLE_QUANTITY, f.rule());
        assertTrue(f.detail().contains("item 006362986314296 (床位费(三人间)): 6 units in 5 day(s), more than 1 a day "
                + "(bedFeePerDay)"), f.detail());
        // five bed days in five days are plausible
        List<Fee> five = new ArrayList<>(daily("2026-04-01", 5, "A"));
        five.add(new Fee("B001", "006362986314296", "2026-04-01 10:00:00", "40.00", "5"));
        String other = stay(third, "2026-04-01 09:00:00", "2026-04-05 10:00:00", five);
        HisClient.ok(settle(third, other, five));
        assertEquals(1, flags().size(), flags().toString());
    }

    private static ObjectNode personQuery(String name) {
        ObjectNode q = HisClient.object();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "631303199608106108")
                .put("psn_name", name);
        return q;
    }

    @Test
    void aFailedIdentityCheckIsWarnedRecordedAndFlagsThePersonsNextSettlement() {
        assertEquals("", succeeded(third.call("1101", "630000", personQuery("成杰"))).path("warn_msg").asText());
        JsonNode wrong = succeeded(third.call("1101", "630000", personQuery("成 杰杰")));
        assertTrue(wrong.path("warn_msg").asText().contains("the identity check failed: the name given (psn_name) "
                + "is not the insured record's"), wrong.toString());
        List<Fee> fees = daily("2026-03-01", 5, "A");
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", fees);
        // the check happened "now", after this admission in 2026-03: it counts (it precedes the settlement)
        HisClient.ok(settle(third, mdtrtId, fees));
        Supervision.Flag f = flags().get(0);
        assertEquals(Rule.IDENTITY_CHECK_FAILED, f.rule());
        assertTrue(f.detail().contains("the identity check at " + node.hospital(3)), f.detail());
        // block: the person information request itself is refused
        node.supervision.modified(Map.of("identity-check-failed", "block"));
        JsonNode refused = third.call("1101", "630000", personQuery("张三"));
        assertEquals("-2", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("the identity check failed"), refused.toString());
        assertEquals("0", third.call("1101", "630000", personQuery("成杰")).path("infcode").asText());
    }

    @Test
    void withTheIdentityRuleOffAFailedCheckFlagsNothingAndTheOtherRulesStillFindTheirStays() {
        // the person's history is read in one statement, its failed identity checks asked for only while the rule
        // is on: off, the overlap is still found and the failure is not
        node.supervision.modified(Map.of("identity-check-failed", "off"));
        JsonNode wrong = succeeded(third.call("1101", "630000", personQuery("成 杰杰")));
        assertEquals("", wrong.path("warn_msg").asText(), wrong.toString());
        List<Fee> first = daily("2026-03-01", 5, "A");
        String a = stay(third, "2026-03-01 09:00:00", "2026-03-05 10:00:00", first);
        HisClient.ok(settle(third, a, first));
        assertTrue(flags().isEmpty(), flags().toString());
        List<Fee> second = daily("2026-03-03", 4, "B", "11:00:00");
        String b = stay(this.second, "2026-03-03 09:00:00", "2026-03-06 10:00:00", second);
        HisClient.ok(settle(this.second, b, second));
        assertEquals(List.of(Rule.OVERLAPPING_STAY), flags().stream().map(Supervision.Flag::rule).toList());
        // on again: a failed check now is recorded and flags the next settlement; the one while it was off was not
        node.supervision.modified(Map.of("identity-check-failed", "flag"));
        JsonNode again = succeeded(third.call("1101", "630000", personQuery("成 杰杰")));
        assertTrue(again.path("warn_msg").asText().contains("the identity check failed"), again.toString());
        List<Fee> later = daily("2026-03-10", 2, "C");
        String c = stay(third, "2026-03-10 09:00:00", "2026-03-11 10:00:00", later);
        HisClient.ok(settle(third, c, later));
        List<Supervision.Flag> onC = flags().stream().filter(f -> f.mdtrtId().equals(c)).toList();
        assertEquals(List.of(Rule.IDENTITY_CHECK_FAILED), onC.stream().map(Supervision.Flag::rule).toList(),
                onC.toString());
        assertEquals(1, onC.get(0).detail().split("the identity check at ", -1).length - 1,
                "one failure while the rule was on: " + onC.get(0).detail());
    }

    @Test
    void anAdministratorReviewsAFlagOnceWithAComment() throws Exception {
        List<Fee> fees = List.of(new Fee("A001", "000141388808906", "2026-03-01 10:00:00", "9.00", "1"),
                new Fee("A002", "000141388808906", "2026-03-09 10:00:00", "9.00", "1"));
        String mdtrtId = stay(third, "2026-03-01 09:00:00", "2026-03-10 10:00:00", fees);
        HisClient.ok(settle(third, mdtrtId, fees));
        long id = flags().get(0).id();
        Actor admin = Actor.console("karaf");
        assertThrows(IllegalArgumentException.class, () -> node.supervision.review(id, Review.DISMISSED, " ", admin));
        assertThrows(IllegalArgumentException.class, () -> node.supervision.review(id, Review.OPEN, "x", admin));
        assertThrows(IllegalArgumentException.class, () -> node.supervision.review(id + 1000, Review.DISMISSED, "x",
                admin));
        Supervision.Flag reviewed = node.supervision.review(id, Review.DISMISSED, "patient on home leave, documented",
                admin);
        assertEquals(Review.DISMISSED, reviewed.review());
        assertEquals(Optional.of("karaf"), reviewed.reviewedBy());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> node.supervision.review(id, Review.CONFIRMED, "again", admin));
        assertTrue(twice.getMessage().contains("dismissed already by karaf"), twice.getMessage());
        assertTrue(node.store.recent(10, Optional.of("SUPERVISION_FLAG_REVIEWED")).stream()
                .anyMatch(r -> r.event().subject().equals("flag " + id) && r.event().actor().equals("karaf")));
        assertEquals(0, node.supervision.flags(new FlagQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(Review.OPEN), Optional.empty(), Optional.empty(), 10)).size());
        assertTrue(node.supervision.check().detail().startsWith("0 flag(s) waiting for review"),
                node.supervision.check().detail());
    }
}
