package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

/**
 * The HIS interface's refusals and guarantees, at a treatment node (330000) with the patient insured at 630000:
 * every bad request is refused with the right infcode, a message naming the field, and nothing changed.
 */
@org.junit.jupiter.api.Tag("database")
class HisTransactionsTest {

    static final String PSN = "63000000000000000001";
    static final String PSN2 = "63000000000000000002";
    static final String PERSONS = """
            psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name
            63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1101,,46000.00,市第一中学
            63000000000000000002,630220195606087603,符玉艳,2,1956-06-08,310,1102,,120.50,某某科技有限公司
            """;

    private Network network;
    private Network.TreatmentNode node;
    private Network.InsuredNode home;
    private HisClient his;
    private HisClient other;

    @BeforeEach
    void setUp() {
        network = new Network();
        home = network.insured("630000");
        home.importPersons(PERSONS);
        node = network.treatment("330000");
        his = new HisClient(node, node.hospital(3));
        other = new HisClient(node, node.hospital(2));
    }

    private void file(String psnNo) {
        home.filings.file(new FilingRequest(psnNo, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
    }

    static ObjectNode admission(String psnNo) {
        ObjectNode in = HisClient.object();
        ObjectNode m = in.putObject("mdtrtinfo");
        m.put("psn_no", psnNo);
        m.put("insutype", "310");
        m.put("begntime", "2026-03-01 09:00:00");
        m.put("mdtrt_cert_type", "01");
        m.put("mdtrt_cert_no", psnNo);
        m.put("med_type", "21");
        m.put("ipt_no", "ZY0001");
        m.put("insuplc_admdvs", "630000");
        return in;
    }

    /** Fee lines of codes in the 330000 reference catalogue (from seq-330000-1). */
    static ObjectNode fees(String mdtrtId, String psnNo) {
        ObjectNode in = HisClient.object();
        ArrayNode lines = in.putArray("feedetail");
        String[][] items = {
                {"0001", "X6690743915000806360837", "720.00", "1", "720.00"},
                {"0002", "XB05AAA448A030869010040", "17.76", "10", "177.60"},
                {"0003", "XL01XAA415A940769565356", "720.00", "14", "10080.00"},
                {"0004", "000141388808906", "0.90", "10", "9.00"}};
        for (String[] i : items) {
            ObjectNode l = lines.addObject();
            l.put("feedetl_sn", i[0]);
            l.put("mdtrt_id", mdtrtId);
            l.put("psn_no", psnNo);
            l.put("fee_ocur_time", "2026-03-02 10:00:00");
            l.put("med_list_codg", i[1]);
            l.put("medins_list_codg", "H" + i[0]);
            l.put("pric", new BigDecimal(i[2]));
            l.put("cnt", new BigDecimal(i[3]));
            l.put("det_item_fee_sumamt", new BigDecimal(i[4]));
        }
        return in;
    }

    static final BigDecimal TOTAL = new BigDecimal("10986.60");

    static ObjectNode discharge(String mdtrtId, String psnNo) {
        ObjectNode in = HisClient.object();
        ObjectNode d = in.putObject("dscginfo");
        d.put("mdtrt_id", mdtrtId);
        d.put("psn_no", psnNo);
        d.put("insutype", "310");
        d.put("endtime", "2026-03-05 10:00:00");
        return in;
    }

    static ObjectNode settlement(String mdtrtId, String psnNo, BigDecimal total) {
        ObjectNode in = HisClient.object();
        ObjectNode d = in.putObject("data");
        d.put("psn_no", psnNo);
        d.put("mdtrt_cert_type", "01");
        d.put("mdtrt_cert_no", psnNo);
        d.put("medfee_sumamt", total);
        d.put("psn_setlway", "01");
        d.put("mdtrt_id", mdtrtId);
        d.put("insutype", "310");
        d.put("acct_used_flag", "1");
        d.put("mid_setl_flag", "0");
        return in;
    }

    static ObjectNode query(String setlId, String mdtrtId) {
        ObjectNode q = HisClient.object();
        q.putObject("data").put("psn_no", PSN).put("setl_id", setlId).put("mdtrt_id", mdtrtId);
        return q;
    }

    static ObjectNode reversal(String setlId, String mdtrtId, String psnNo) {
        ObjectNode in = HisClient.object();
        ObjectNode d = in.putObject("data");
        d.put("setl_id", setlId);
        d.put("mdtrt_id", mdtrtId);
        d.put("psn_no", psnNo);
        return in;
    }

    /** Admitted, fees uploaded, discharged: ready to settle. */
    private String dischargedVisit(HisClient client, String psnNo) {
        String mdtrtId = HisClient.ok(client.call("2401", "630000", admission(psnNo))).path("result").path("mdtrt_id").asText();
        HisClient.ok(client.call("2301", "630000", fees(mdtrtId, psnNo)));
        HisClient.ok(client.call("2402", "630000", discharge(mdtrtId, psnNo)));
        return mdtrtId;
    }

    /** Rows in every table the HIS interface writes, at the treatment and the insured node, and the balance. */
    private List<String> books() throws Exception {
        List<String> counts = new ArrayList<>();
        for (StoreComponent store : List.of(node.store, home.store)) {
            store.inTransaction("count", c -> {
                // a settlement given up before it reached the insured place (ABANDONED) is no entry in the books
                for (String table : List.of("visit", "fee_upload", "fee_line", "settlement WHERE state <> 'ABANDONED'", "his_message",
                        "insured_settlement", "accumulator", "filing")) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
                         ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.add(table.split(" ")[0] + "=" + rs.getInt(1));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM visit WHERE state = 'SETTLED'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    counts.add("settled visits=" + rs.getInt(1));
                }
                return null;
            });
        }
        counts.add("balance=" + home.balance(PSN));
        return counts;
    }

    /** A resident (390) born on 2 March 2026 at the insured place, filed from that day: their psn_no. */
    private String newbornFiled() {
        String newborn = "63000000000000000003";
        home.importPersons("""
                psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name
                63000000000000000003,630102202603020010,新生儿,1,2026-03-02,390,1501,,0.00,
                """);
        home.filings.file(new FilingRequest(newborn, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 3, 2), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        return newborn;
    }

    @Test
    void anAdmissionBeforeThePatientWasBornIsRefusedAndOneOnTheDayOfBirthIsOpened() {
        String newborn = newbornFiled();
        // the day before the birth (no filing can cover it: the person is asked for alone, and refused)
        ObjectNode before = admission(newborn);
        ((ObjectNode) before.get("mdtrtinfo")).put("insutype", "390").put("ipt_no", "ZY-NB1");
        refused("-2", "input.mdtrtinfo.begntime: 2026-03-01 is before the patient was born",
                his.call("2401", "630000", before));
        ObjectNode born = admission(newborn);
        ((ObjectNode) born.get("mdtrtinfo")).put("insutype", "390").put("ipt_no", "ZY-NB3")
                .put("begntime", "2026-03-02 08:00:00");
        JsonNode opened = his.call("2401", "630000", born);
        assertEquals("0", opened.path("infcode").asText(), opened.toString());
    }

    @Test
    void aFeeLineDatedBeforeThePatientWasBornKeepsTheStayFromBeingSettledUntilItIsCancelled() {
        String newborn = newbornFiled();
        ObjectNode born = admission(newborn);
        ((ObjectNode) born.get("mdtrtinfo")).put("insutype", "390").put("begntime", "2026-03-02 08:00:00");
        String mdtrtId = HisClient.ok(his.call("2401", "630000", born)).path("result").path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, newborn)));
        // a line of the mother's, ten days before the birth: within the days an upload may reach before an admission
        ObjectNode before = fees(mdtrtId, newborn);
        ArrayNode lines = (ArrayNode) before.get("feedetail");
        while (lines.size() > 1) {
            lines.remove(0);
        }
        ((ObjectNode) lines.get(0)).put("feedetl_sn", "0005").put("fee_ocur_time", "2026-02-20 10:00:00");
        HisClient.ok(his.call("2301", "630000", before));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, newborn)));
        BigDecimal withIt = TOTAL.add(new BigDecimal("9.00"));
        String refusal = "input.data.mdtrt_id: fee line 0005 of visit " + mdtrtId + " is dated 2026-02-20, before the "
                + "patient was born: cancel it (2302)";
        for (String infno : List.of("2303", "2304")) {
            ObjectNode settle = settlement(mdtrtId, newborn, withIt);
            ((ObjectNode) settle.get("data")).put("insutype", "390");
            refused("-2", refusal, his.call(infno, "630000", settle));
        }
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0005").put("mdtrt_id", mdtrtId).put("psn_no", newborn);
        HisClient.ok(his.call("2302", "630000", cancel));
        ObjectNode settle = settlement(mdtrtId, newborn, TOTAL);
        ((ObjectNode) settle.get("data")).put("insutype", "390");
        assertFalse(HisClient.ok(his.call("2304", "630000", settle)).path("setlinfo").path("setl_id").asText().isEmpty());
    }

    @Test
    void aFeeLineOfMoreThanAHundredMillionYuanIsRefusedAndATotalTooLargeToKeepIsNamedSo() {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        ObjectNode upload = fees(mdtrtId, PSN);
        ((ObjectNode) upload.get("feedetail").get(2)).put("pric", new BigDecimal("100000000.01"))
                .put("cnt", BigDecimal.ONE).put("det_item_fee_sumamt", new BigDecimal("100000000.01"));
        refused("-2", "input.feedetail[2].det_item_fee_sumamt: at most 100000000.00 yuan a line (一亿元)",
                his.call("2301", "630000", upload));
        ((ObjectNode) upload.get("feedetail").get(2)).put("pric", new BigDecimal("100000000.00"))
                .put("det_item_fee_sumamt", new BigDecimal("100000000.00"));
        HisClient.ok(his.call("2301", "630000", upload));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        ObjectNode tooLarge = settlement(mdtrtId, PSN, new BigDecimal("199999999999800.00"));
        refused("-2", "input.data.medfee_sumamt: at most 99999999999999.99 yuan (14 digits before the point)",
                his.call("2303", "630000", tooLarge));
    }

    @Test
    void aNumberWithAHugeExponentIsRefusedAtOnceWithoutBeingWrittenOutDigitByDigit() {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        ObjectNode upload = fees(mdtrtId, PSN);
        // twelve characters of JSON that BigDecimal.toPlainString() writes as a hundred million digits
        ((ObjectNode) upload.get("feedetail").get(1)).put("pric", new BigDecimal("1e99999999"));
        long t0 = System.nanoTime();
        refused("-2", "input.feedetail[1].pric: must be a number with at most 6 decimals: '1E+99999999'",
                his.call("2301", "630000", upload));
        ((ObjectNode) upload.get("feedetail").get(1)).put("pric", new BigDecimal("1e-999999999"));
        refused("-2", "input.feedetail[1].pric: must be a number with at most 6 decimals: '1E-999999999'",
                his.call("2301", "630000", upload));
        ((ObjectNode) upload.get("feedetail").get(1)).put("pric", "1".repeat(5000));
        refused("-2", "input.feedetail[1].pric: a number of at most 40 characters", his.call("2301", "630000", upload));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused at once");
    }

    /** {@code request}'s {@code path} object (mdtrtinfo, data) with the credential {@code type} and {@code number}. */
    private static ObjectNode presenting(ObjectNode request, String path, String type, String number) {
        ObjectNode o = (ObjectNode) request.get(path);
        o.put("mdtrt_cert_type", type);
        if (number == null) {
            o.remove("mdtrt_cert_no");
        } else {
            o.put("mdtrt_cert_no", number);
        }
        return request;
    }

    @Test
    void aVisitIsOpenedAndSettledOnlyOnThePatientsOwnCredential() throws Exception {
        file(PSN);
        String psn2Certno = "630220195606087603";
        String own = "631303199608106108";
        List<String> before = books();
        // another person's ID card, a number that is no ID number, none at all
        JsonNode theirs = his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "02", psn2Certno));
        refused("-2", "input.mdtrtinfo.mdtrt_cert_no: the ID card (02) presented is not person " + PSN + "'s", theirs);
        assertFalse(theirs.toString().contains(psn2Certno) || theirs.toString().contains(own),
                "an ID number is never repeated in an answer: " + theirs);
        refused("-2", "input.mdtrtinfo.mdtrt_cert_no: an ID card (02) needs an 18-character ID number",
                his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "02", "6313031996")));
        refused("-2", "input.mdtrtinfo.mdtrt_cert_no: required",
                his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "02", null)));
        ObjectNode registration = HisClient.object();
        registration.putObject("data").put("psn_no", PSN).put("insutype", "310").put("begntime", "2026-03-01 09:00:00")
                .put("ipt_otp_no", "MZ-C").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", psn2Certno);
        refused("-2", "input.data.mdtrt_cert_no: the ID card (02) presented is not person " + PSN + "'s",
                his.call("2201", "630000", registration));
        assertEquals(before, books(), "nothing was opened");
        // the patient's own ID card (a lower-case x would match too), an e-code and a social security card (not
        // checked: no registry of either here), and no credential given at all
        String mdtrtId = HisClient.ok(his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "02", own)))
                .path("result").path("mdtrt_id").asText();
        JsonNode card = his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "03", "A12345678"));
        assertEquals("0", card.path("infcode").asText(), card.toString());
        JsonNode code = his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "01", "ec-token-7f3a"));
        assertEquals("0", code.path("infcode").asText(), code.toString());
        ObjectNode none = admission(PSN);
        ((ObjectNode) none.get("mdtrtinfo")).remove(List.of("mdtrt_cert_type", "mdtrt_cert_no"));
        assertEquals("0", his.call("2401", "630000", none).path("infcode").asText());
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        // the pre-settlement and the settlement check the credential presented again, against the insured record
        refused("-2", "input.data.mdtrt_cert_no: the ID card (02) presented is not person " + PSN + "'s",
                his.call("2303", "630000", presenting(settlement(mdtrtId, PSN, TOTAL), "data", "02", psn2Certno)));
        HisClient.ok(his.call("2303", "630000", presenting(settlement(mdtrtId, PSN, TOTAL), "data", "02", own)));
        refused("-2", "input.data.mdtrt_cert_no: the ID card (02) presented is not person " + PSN + "'s",
                his.call("2304", "630000", presenting(settlement(mdtrtId, PSN, TOTAL), "data", "02", psn2Certno)));
        assertTrue(books().containsAll(List.of("insured_settlement=0", "settled visits=0")),
                "nothing settled on another person's credential: " + books());
        JsonNode settled = HisClient.ok(his.call("2304", "630000",
                presenting(settlement(mdtrtId, PSN, TOTAL), "data", "02", own.toLowerCase(java.util.Locale.ROOT))));
        assertFalse(settled.path("setlinfo").path("setl_id").asText().isEmpty());
    }

    @Test
    void aPatientAdmittedWhileTheInsuredPlaceWasDownHasTheirCredentialCheckedAtSettlement() throws Exception {
        file(PSN);
        home.down = true;
        JsonNode admitted = his.call("2401", "630000", presenting(admission(PSN), "mdtrtinfo", "02",
                "630220195606087603"));
        assertEquals("0", admitted.path("infcode").asText(), admitted.toString());
        assertTrue(admitted.path("warn_msg").asText().contains("checked at settlement"), admitted.toString());
        home.down = false;
        String mdtrtId = admitted.path("output").path("result").path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        refused("-2", "input.data.mdtrt_cert_no: the ID card (02) presented is not person " + PSN + "'s",
                his.call("2304", "630000", presenting(settlement(mdtrtId, PSN, TOTAL), "data", "02",
                        "630220195606087603")));
        assertTrue(books().containsAll(List.of("insured_settlement=0", "settled visits=0")), books().toString());
    }

    private void refused(String infcode, String messagePart, JsonNode answer) {
        assertEquals(infcode, answer.path("infcode").asText(), answer.toString());
        assertTrue(answer.path("err_msg").asText().contains(messagePart), answer.path("err_msg").asText());
        assertTrue(answer.path("output").isNull(), "a refusal has no output");
    }

    @Test
    void aSettlementIsAnsweredInOneBillAndRecordedAtTheInsuredPlace() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        JsonNode out = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        JsonNode info = out.path("setlinfo");
        assertEquals(0, TOTAL.compareTo(info.path("medfee_sumamt").decimalValue()));
        assertEquals(0, info.path("medfee_sumamt").decimalValue().compareTo(info.path("fund_pay_sumamt").decimalValue()
                .add(info.path("acct_pay").decimalValue()).add(info.path("psn_cash_pay").decimalValue())));
        assertEquals("630000", info.path("clr_optins").asText());
        String raw = new String(node.his.call(his.hospital, HisClient.JSON.writeValueAsBytes(his.envelope("5203",
                node.msgid(his.hospital), "630000", query(info.path("setl_id").asText(), mdtrtId)))), StandardCharsets.UTF_8);
        assertTrue(raw.contains("\"medfee_sumamt\":10986.60,"), "amounts with two decimals: " + raw);
        assertTrue(raw.matches(".*\"fund_payamt\":\\d+\\.\\d\\d,.*"), "setldetail amounts with two decimals: " + raw);
        assertTrue(out.path("setldetail").size() >= 1);
        assertEquals(Money.ofYuan(new BigDecimal("46000.00").subtract(info.path("acct_pay").decimalValue())),
                home.balance(PSN));
        assertTrue(books().contains("insured_settlement=1"), books().toString());
        // 5203 answers the same settlement
        ObjectNode q = HisClient.object();
        q.putObject("data").put("psn_no", PSN).put("setl_id", info.path("setl_id").asText()).put("mdtrt_id", mdtrtId);
        assertEquals(info.path("hifp_pay"), HisClient.ok(his.call("5203", "630000", q)).path("setlinfo").path("hifp_pay"));
    }

    @Test
    void malformedJsonIsRefusedWithoutAnything() throws Exception {
        List<String> before = books();
        refused("-2", "not valid JSON", his.sendRaw("{\"infno\":\"2401\",".getBytes(StandardCharsets.UTF_8)));
        refused("-2", "one JSON object", his.sendRaw("[1,2]".getBytes(StandardCharsets.UTF_8)));
        refused("-2", "not valid JSON", his.sendRaw("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(before, books());
    }

    @Test
    void missingAndMistypedFieldsAreNamedByTheirPath() throws Exception {
        List<String> before = books();
        ObjectNode noPerson = admission(PSN);
        ((ObjectNode) noPerson.get("mdtrtinfo")).remove("psn_no");
        refused("-2", "input.mdtrtinfo.psn_no: required", his.call("2401", "630000", noPerson));
        ObjectNode badTime = admission(PSN);
        ((ObjectNode) badTime.get("mdtrtinfo")).put("begntime", "2026-02-30 09:00:00");
        refused("-2", "input.mdtrtinfo.begntime: must be a time", his.call("2401", "630000", badTime));
        ObjectNode badType = admission(PSN);
        ((ObjectNode) badType.get("mdtrtinfo")).putObject("insutype");
        refused("-2", "input.mdtrtinfo.insutype: must be a string", his.call("2401", "630000", badType));
        assertEquals(before, books());
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        List<String> admitted = books();
        ObjectNode badCnt = fees(mdtrtId, PSN);
        ((ObjectNode) badCnt.get("feedetail").get(2)).put("cnt", "abc");
        refused("-2", "input.feedetail[2].cnt: must be a number", his.call("2301", "630000", badCnt));
        ObjectNode negative = fees(mdtrtId, PSN);
        ((ObjectNode) negative.get("feedetail").get(1)).put("cnt", new BigDecimal("-10"));
        refused("-2", "input.feedetail[1].cnt: must be > 0", his.call("2301", "630000", negative));
        ObjectNode notPxQ = fees(mdtrtId, PSN);
        ((ObjectNode) notPxQ.get("feedetail").get(3)).put("det_item_fee_sumamt", new BigDecimal("9.50"));
        refused("-2", "input.feedetail[3].det_item_fee_sumamt", his.call("2301", "630000", notPxQ));
        assertEquals(admitted, books(), "a refused upload stores no line");
    }

    @Test
    void impossibleDatesAreRefusedWithTheFieldNamedAndNothingStored() throws Exception {
        file(PSN);
        List<String> before = books();
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai"));
        String nextYear = Output.TIME.format(now.plusYears(1));
        for (String begin : List.of("9999-12-31 23:59:59", "0000-01-01 00:00:00", "1900-01-01 00:00:00", nextYear)) {
            ObjectNode a = admission(PSN);
            ((ObjectNode) a.get("mdtrtinfo")).put("begntime", begin);
            refused("-2", "input.mdtrtinfo.begntime: " + begin, his.call("2401", "630000", a));
            ObjectNode r = HisClient.object();
            r.putObject("data").put("psn_no", PSN).put("insutype", "310").put("begntime", begin).put("ipt_otp_no", "MZ1");
            refused("-2", "input.data.begntime: " + begin, his.call("2201", "630000", r));
        }
        assertEquals(before, books(), "no visit opened");

        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        List<String> admitted = books();
        for (String time : List.of("9999-12-31 23:59:59", "0000-01-01 00:00:00", "1900-01-01 00:00:00", nextYear,
                "2025-08-01 10:00:00")) {
            ObjectNode f = fees(mdtrtId, PSN);
            ((ObjectNode) f.get("feedetail").get(2)).put("fee_ocur_time", time);
            refused("-2", "input.feedetail[2].fee_ocur_time: " + time, his.call("2301", "630000", f));
        }
        assertEquals(admitted, books(), "no fee line stored");
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        List<String> uploaded = books();
        for (String end : List.of("9999-12-31 23:59:59", nextYear, "2026-02-28 09:00:00")) {
            ObjectNode d = discharge(mdtrtId, PSN);
            ((ObjectNode) d.get("dscginfo")).put("endtime", end);
            refused("-2", "input.dscginfo.endtime", his.call("2402", "630000", d));
        }
        assertEquals(uploaded, books(), "the stay is still open");
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
    }

    @Test
    void anAdmissionOfAPersonTheInsuredPlaceDoesNotKnowIsRefusedBeforeAnythingIsStored() throws Exception {
        List<String> before = books();
        refused("-2", "input.mdtrtinfo.psn_no: the insured province 630000 knows no person 63000000000000000099",
                his.call("2401", "630000", admission("63000000000000000099")));
        ObjectNode wrongType = admission(PSN);
        ((ObjectNode) wrongType.get("mdtrtinfo")).put("insutype", "390");
        refused("-2", "input.mdtrtinfo.insutype: 390, but person " + PSN + " is insured under 310",
                his.call("2401", "630000", wrongType));
        ObjectNode r = HisClient.object();
        r.putObject("data").put("psn_no", "63000000000000000099").put("insutype", "310")
                .put("begntime", "2026-03-01 09:00:00").put("ipt_otp_no", "MZ1");
        refused("-2", "input.data.psn_no", his.call("2201", "630000", r));
        assertEquals(before, books());
        // an insured place that does not answer does not keep a patient out: admitted, checked at settlement
        home.down = true;
        JsonNode admitted = his.call("2401", "630000", admission(PSN));
        assertEquals("0", admitted.path("infcode").asText(), admitted.toString());
        assertTrue(admitted.path("warn_msg").asText().contains("checked at settlement"), admitted.toString());
    }

    /** A filed person's stay settled by a 2304 whose msgid the test knows: {mdtrt_id, msgid}. */
    private String[] settledUnderAKnownMsgid() {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        String msgid = node.msgid(his.hospital);
        HisClient.ok(his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL))));
        return new String[] {mdtrtId, msgid};
    }

    @Test
    void aCorrectionNamingAnotherPersonIsRefusedAndChangesNothing() throws Exception {
        String msgid = settledUnderAKnownMsgid()[1];
        List<String> settled = books();
        ObjectNode corr = HisClient.object();
        corr.putObject("data").put("psn_no", PSN2).put("omsgid", msgid).put("oinfno", "2304");
        refused("-2", "input.data.psn_no: " + PSN2 + " is not the person of settlement", his.call("2601", "630000", corr));
        assertEquals(settled, books(), "the settlement stands");
        ((ObjectNode) corr.get("data")).put("psn_no", PSN);
        HisClient.ok(his.call("2601", "630000", corr));
        assertEquals(Money.ofYuan("46000.00"), home.balance(PSN), "balance restored");
        // the correction took the settlement's entries back on both sides
        assertEquals(List.of(), node.ledger.verify().problems());
        assertEquals(List.of(), home.ledger.verify().problems());
        node.ledger.balances("claim:").forEach(b -> assertEquals(0, b.fen(), b.toString()));
        home.ledger.balances("owed:").forEach(b -> assertEquals(0, b.fen(), b.toString()));
        assertEquals(2, node.ledger.verify().postings(), "SETTLED and CORRECTED");
    }

    @Test
    void aSettlementReadsItsMsgidRecordPendingSettlementAndVisitInOneTransactionAndARepeatIsAnsweredFromThatRead() {
        List<String> work = new java.util.concurrent.CopyOnWriteArrayList<>();
        Network.TreatmentNode counted = new Network.TreatmentNode("330000", network,
                org.medsettle.store.testing.TestStores.fresh(), db -> new org.medsettle.api.store.Transactor() {
                    @Override
                    public <T> T inTransaction(String what, Work<T> unit) {
                        work.add(what);
                        return db.inTransaction(what, unit);
                    }

                    @Override
                    public long nextId(String sequence) {
                        return db.nextId(sequence);
                    }
                });
        HisClient clerk = new HisClient(counted, counted.hospital(3));
        file(PSN);
        String mdtrtId = dischargedVisit(clerk, PSN);
        String msgid = counted.msgid(clerk.hospital);
        ObjectNode request = clerk.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL));

        work.clear();
        JsonNode settled = clerk.send(request);
        assertEquals("0", settled.path("infcode").asText(), settled.toString());
        assertTrue(work.get(0).startsWith("read msgid " + msgid + ", its pending settlement and visit"), work.toString());
        assertEquals(0, work.stream().filter(w -> w.startsWith("look up msgid")).count(),
                "no transaction of its own for the msgid: " + work);

        work.clear();
        JsonNode again = clerk.send(request);
        assertEquals(settled, again, "the first answer");
        assertEquals(1, work.size(), "a repeat is one read transaction: " + work);
    }

    private static void sql(StoreComponent store, String... statements) {
        store.inTransaction("sql", c -> {
            try (java.sql.Statement st = c.createStatement()) {
                for (String statement : statements) {
                    st.execute(statement);
                }
            }
            return null;
        });
    }

    /**
     * A trigger that makes every insert into {@code table} whose new row meets {@code condition} (columns as
     * {@code n.<column>}) fail, in the real database: Derby's statement trigger on a check constraint, or
     * PostgreSQL's trigger function raising an error.
     */
    private static void blockInserts(StoreComponent store, String name, String table, String condition) {
        if (TestStores.onPostgresql()) {
            sql(store, "CREATE FUNCTION " + name + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF "
                            + condition.replace("n.", "NEW.") + " THEN RAISE EXCEPTION '" + name + "'; END IF; "
                            + "RETURN NEW; END $$",
                    "CREATE TRIGGER " + name + " AFTER INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "_fn()");
        } else {
            sql(store, "CREATE TABLE " + name + "_block (x INT CHECK (x > 0))",
                    "CREATE TRIGGER " + name + " AFTER INSERT ON " + table + " REFERENCING NEW AS n FOR EACH ROW "
                            + "WHEN (" + condition + ") INSERT INTO " + name + "_block VALUES (0)");
        }
    }

    private static void unblockInserts(StoreComponent store, String name, String table) {
        sql(store, TestStores.onPostgresql() ? "DROP TRIGGER " + name + " ON " + table : "DROP TRIGGER " + name);
    }

    private static ObjectNode totals(String day, String count, JsonNode setlinfo) {
        ObjectNode in = HisClient.object();
        ObjectNode d = in.putObject("data");
        d.put("insutype", "310").put("clr_type", "21").put("setl_optins", "630000").put("stmt_begndate", day)
                .put("stmt_enddate", day).put("fixmedins_setl_cnt", count)
                .put("medfee_sumamt", setlinfo.path("medfee_sumamt").decimalValue())
                .put("fund_pay_sumamt", setlinfo.path("fund_pay_sumamt").decimalValue())
                .put("acct_pay", setlinfo.path("acct_pay").decimalValue());
        return in;
    }

    private static void line(ArrayNode detail, String setlId, JsonNode setlinfo, String medfee) {
        detail.addObject().put("setl_id", setlId).put("medfee_sumamt", new BigDecimal(medfee))
                .put("fund_pay_sumamt", setlinfo.path("fund_pay_sumamt").decimalValue())
                .put("acct_pay", setlinfo.path("acct_pay").decimalValue());
    }

    @Test
    void aHospitalReconcilesItsDayInTotalsAndLineByLineAndIsToldEveryDifference() throws Exception {
        file(PSN);
        file(PSN2);
        String first = dischargedVisit(his, PSN);
        JsonNode s1 = HisClient.ok(his.call("2304", "630000", settlement(first, PSN, TOTAL))).path("setlinfo");
        String second = dischargedVisit(his, PSN2);
        JsonNode s2 = HisClient.ok(his.call("2304", "630000", settlement(second, PSN2, TOTAL))).path("setlinfo");
        JsonNode r2 = HisClient.ok(his.call("2305", "630000", reversal(s2.path("setl_id").asText(), second, PSN2)))
                .path("setlinfo");
        String today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();

        // totals: the settlement, the second one and its reversal (netting to zero): three lines
        JsonNode agrees = HisClient.ok(his.call("3201", "630000", totals(today, "3", s1))).path("stmtinfo");
        assertEquals("0", agrees.path("stmt_rslt").asText(), agrees.toString());
        assertEquals("630000", agrees.path("setl_optins").asText());
        JsonNode differs = HisClient.ok(his.call("3201", "630000", totals(today, "2", s1))).path("stmtinfo");
        assertEquals("1", differs.path("stmt_rslt").asText());
        assertTrue(differs.path("stmt_rslt_dscr").asText().contains("fixmedins_setl_cnt: the node has 3, the hospital 2"),
                differs.toString());
        ObjectNode outpatient = totals(today, "3", s1);
        ((ObjectNode) outpatient.get("data")).put("clr_type", "11");
        assertEquals("1", HisClient.ok(his.call("3201", "630000", outpatient)).path("stmtinfo").path("stmt_rslt").asText(),
                "no outpatient settlements that day");

        // bad input is refused naming the field, whatever else the request says
        String tomorrow = LocalDate.parse(today).plusDays(1).toString();
        ObjectNode future = totals(today, "3", s1);
        ((ObjectNode) future.get("data")).put("stmt_enddate", tomorrow);
        refused("-2", "input.data.stmt_enddate: " + tomorrow + " is after today", his.call("3201", "630000", future));
        ObjectNode impossible = totals(today, "3", s1);
        ((ObjectNode) impossible.get("data")).put("stmt_begndate", "2026-02-30");
        refused("-2", "input.data.stmt_begndate", his.call("3201", "630000", impossible));
        ObjectNode nowhere = totals(today, "3", s1);
        ((ObjectNode) nowhere.get("data")).put("setl_optins", "990000");
        refused("-2", "input.data.setl_optins", his.call("3201", "630000", nowhere));
        ObjectNode fraction = totals(today, "2.5", s1);
        refused("-2", "input.data.fixmedins_setl_cnt", his.call("3201", "630000", fraction));

        // line by line: one right, one with another total, the reversal missing, one the node never made
        ObjectNode lines = HisClient.object();
        lines.putObject("data").put("stmt_date", today);
        ArrayNode detail = lines.putArray("detail");
        line(detail, s1.path("setl_id").asText(), s1, s1.path("medfee_sumamt").asText());
        line(detail, s2.path("setl_id").asText(), s2, "1.00");
        line(detail, "33000000009999", s1, "5.00");
        JsonNode answer = HisClient.ok(his.call("3202", "630000", lines));
        assertEquals("1", answer.path("stmtinfo").path("stmt_rslt").asText(), answer.toString());
        assertEquals(3, answer.path("stmtinfo").path("node_setl_cnt").asInt());
        Map<String, String> types = new java.util.HashMap<>();
        answer.path("diff").forEach(d -> types.put(d.path("setl_id").asText(), d.path("diff_type").asText()));
        assertEquals(Map.of(s2.path("setl_id").asText(), "amounts_differ", r2.path("setl_id").asText(), "node_only",
                "33000000009999", "hospital_only"), types, answer.toString());
        // another hospital sees only its own: none that day, and an empty list agrees
        ObjectNode none = HisClient.object();
        none.putObject("data").put("stmt_date", today);
        none.putArray("detail");
        JsonNode theirs = HisClient.ok(other.call("3202", "630000", none));
        assertEquals("0", theirs.path("stmtinfo").path("stmt_rslt").asText(), theirs.toString());
        ObjectNode twice = lines.deepCopy();
        line((ArrayNode) twice.get("detail"), s1.path("setl_id").asText(), s1, "1.00");
        refused("-2", "input.detail[3].setl_id: " + s1.path("setl_id").asText() + " is listed twice",
                his.call("3202", "630000", twice));
    }

    @Test
    void aSettlementWhoseLedgerEntriesCannotBeWrittenIsNotSettledAndTheHospitalIsToldSo() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        // the ledger refuses entries on claims: a check constraint broken by a trigger, in the real database
        blockInserts(node.store, "no_claims", "ledger_entry", "n.account LIKE 'claim:%'");
        String msgid = node.msgid(his.hospital);
        JsonNode refused = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("-1", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("nothing was settled"), refused.toString());
        assertTrue(books().contains("settled visits=0"), books().toString());
        assertEquals(0, node.ledger.verify().postings(), "no entries at the place of treatment");
        assertEquals(Money.ofYuan("46000.00"), home.balance(PSN), "the insured place took its part back");
        assertEquals(List.of(), home.ledger.verify().problems(), "applied and undone: both posted, netting to zero");
        home.ledger.balances("owed:").forEach(b -> assertEquals(0, b.fen(), b.toString()));
        assertEquals(List.of(), node.ledger.verify().problems());

        unblockInserts(node.store, "no_claims", "ledger_entry");
        JsonNode settled = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("0", settled.path("infcode").asText(), "the same msgid settles once the ledger works: " + settled);
        BigDecimal funds = settled.path("output").path("setlinfo").path("fund_pay_sumamt").decimalValue()
                .add(settled.path("output").path("setlinfo").path("acct_pay").decimalValue());
        long claimed = node.ledger.balances("claim:630000").stream().mapToLong(b -> b.fen()).sum();
        assertEquals(funds.movePointRight(2).longValueExact(), claimed, "the claim on 630000: its funds and account");
        assertEquals(-claimed, node.ledger.balances("hospital:" + his.hospital).get(0).fen());
        assertEquals(List.of(), node.ledger.verify().problems());
    }

    @Test
    void theLedgerCheckNamesSettlementsWithoutTheirEntriesWithOtherAmountsAndPostingsWithoutSettlement() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        JsonNode settled = his.send(his.envelope("2304", node.msgid(his.hospital), "630000",
                settlement(mdtrtId, PSN, TOTAL)));
        String setlId = settled.path("output").path("setlinfo").path("setl_id").asText();
        assertEquals(List.of(), node.ledger.verify().problems());

        // an amount changed past the settlement (both sides, so the posting still balances)
        sql(node.store, "UPDATE ledger_entry SET amount_fen = amount_fen + 1 WHERE account = 'claim:630000:hifp'",
                "UPDATE ledger_entry SET amount_fen = amount_fen - 1 WHERE entry_id = (SELECT MIN(entry_id) "
                        + "FROM ledger_entry WHERE account LIKE 'hospital:%')");
        assertEquals(List.of("settlement " + setlId + ": its ledger entries differ from its amounts"),
                node.ledger.verify().problems());
        // its entries gone: a settlement without entries; and a posting of a settlement that does not exist
        sql(node.store, "DELETE FROM ledger_entry", "DELETE FROM ledger_posting",
                "INSERT INTO ledger_posting (kind, reference, posted_at) VALUES ('SETTLED', 'S-NOWHERE', CURRENT_TIMESTAMP)");
        List<String> problems = node.ledger.verify().problems();
        assertTrue(problems.contains("settlement " + setlId + " (SETTLED) has no ledger entries"), problems.toString());
        assertTrue(problems.contains("ledger posting SETTLED S-NOWHERE has no such settlement here"), problems.toString());
        assertTrue(problems.contains("posting SETTLED S-NOWHERE does not balance: 0 entries summing to 0 fen"),
                problems.toString());
    }

    @Test
    void theInsuredLedgerCheckNamesAnApplicationWithOtherAmountsOrWithoutItsEntries() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        JsonNode settled = his.send(his.envelope("2304", node.msgid(his.hospital), "630000",
                settlement(mdtrtId, PSN, TOTAL)));
        String setlId = settled.path("output").path("setlinfo").path("setl_id").asText();
        assertEquals(List.of(), home.ledger.verify().problems());

        // an amount changed past the application (both sides, so the posting still balances): the digests differ
        sql(home.store, "UPDATE ledger_entry SET amount_fen = amount_fen + 1 WHERE account = 'fund:hifp'",
                "UPDATE ledger_entry SET amount_fen = amount_fen - 1 WHERE account LIKE 'owed:%:hifp'");
        assertEquals(List.of("applied settlement " + setlId + ": its ledger entries differ from its amounts"),
                home.ledger.verify().problems());
        sql(home.store, "DELETE FROM ledger_entry", "DELETE FROM ledger_posting");
        assertTrue(home.ledger.verify().problems().contains("applied settlement " + setlId + " has no ledger entries"),
                home.ledger.verify().problems().toString());
    }

    @Test
    void aSettlementWhoseAuditRecordCannotBeWrittenIsNotSettledAndTheHospitalIsToldSo() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        // the audit trail refuses SETTLED records: a check constraint broken by a trigger, in the real database
        blockInserts(node.store, "no_settled_audit", "audit_event", "n.event_type = 'SETTLED'");
        List<String> before = books();
        String msgid = node.msgid(his.hospital);
        JsonNode refused = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("-1", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("nothing was settled"), refused.toString());
        // at the treatment node nothing (the PENDING row was abandoned, the visit is still discharged); at the insured
        // place the part applied was undone: the balance is as it was
        java.util.function.Predicate<String> settledOrBalance = b -> b.startsWith("settled visits=") || b.startsWith("balance=");
        assertEquals(before.stream().filter(settledOrBalance).toList(), books().stream().filter(settledOrBalance).toList(),
                "neither the settlement nor its audit record, and the insured place took its part back");
        assertEquals(0, node.store.recent(100, Optional.of("SETTLED")).size());
        assertEquals(0, outboxRows(), "nor the notice to the insured place: it is in the settlement's transaction");

        unblockInserts(node.store, "no_settled_audit", "audit_event");
        JsonNode settled = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("0", settled.path("infcode").asText(), "the same msgid settles once the audit trail works: " + settled);
        String setlId = settled.path("output").path("setlinfo").path("setl_id").asText();
        assertEquals(1, node.store.recent(100, Optional.of("SETTLED")).stream()
                .filter(r -> r.event().subject().equals(setlId)).count(), "the settlement and its audit record, both");
        assertTrue(books().contains("settled visits=1"), books().toString());
        assertEquals(1, outboxRows(), "and its notice, once");
    }

    @Test
    void aSettlementThatCanNeitherBeCommittedNorTakenBackStaysReleasingAndItsMsgidSettlesOnlyAfterwards() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        blockInserts(node.store, "no_settled_audit", "audit_event", "n.event_type = 'SETTLED'");
        home.undoDown = true;
        String msgid = node.msgid(his.hospital);
        JsonNode refused = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("-1", refused.path("infcode").asText(), refused.toString());
        assertEquals(List.of("RELEASING"), settlementStates(), "no request can commit it any more");
        assertNotEquals(Money.ofYuan("46000.00"), home.balance(PSN), "the insured place still holds its part");

        // the commit works again, the insured place still cannot take it back: the msgid is refused, nothing settled
        unblockInserts(node.store, "no_settled_audit", "audit_event");
        JsonNode again = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("-1", again.path("infcode").asText(), again.toString());
        assertTrue(again.path("err_msg").asText().contains("still being taken back"), again.toString());
        assertEquals(List.of("RELEASING"), settlementStates());

        // the insured place back: the repeat first takes the old part back, then settles once, on clean accumulators
        home.undoDown = false;
        JsonNode settled = his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("0", settled.path("infcode").asText(), settled.toString());
        assertEquals(List.of("ABANDONED", "SETTLED"), settlementStates());
        assertEquals(Money.ofYuan("46000.00").minus(Money.ofYuan(
                settled.path("output").path("setlinfo").path("acct_pay").decimalValue().toPlainString())), home.balance(PSN),
                "the account paid once");
        assertEquals(List.of(), node.ledger.verify().problems());
        assertEquals(List.of(), home.ledger.verify().problems());
    }

    @Test
    void twoInstancesOnOneDatabaseAnsweringTheSameMsgidAtOnceAdmitOnceAndAnswerAlike() throws Exception {
        file(PSN);
        // a second instance of 330000 on the same database (issue 13): its own service, no lock shared with the first
        HisClient second = new HisClient(new Network.TreatmentNode("330000", network, node.store), node.hospital(3));
        for (int round = 0; round < 5; round++) {
            String msgid = node.msgid(his.hospital);
            ObjectNode envelope = his.envelope("2401", msgid, "630000", admission(PSN));
            List<Callable<JsonNode>> clerks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HisClient via = i % 2 == 0 ? his : second;
                clerks.add(() -> via.send(envelope));
            }
            java.util.Set<String> visits = new java.util.HashSet<>();
            for (JsonNode answer : org.medsettle.store.testing.AtOnce.run(clerks)) {
                assertEquals("0", answer.path("infcode").asText(), "every repeat answered as the first: " + answer);
                visits.add(answer.path("output").path("result").path("mdtrt_id").asText());
            }
            assertEquals(1, visits.size(), "one admission for one msgid: " + visits);
        }
        assertTrue(books().contains("visit=5"), books().toString());
    }

    private List<String> settlementStates() {
        return node.store.inTransaction("settlement states", c -> {
            List<String> states = new ArrayList<>();
            try (java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT state FROM settlement ORDER BY state")) {
                while (rs.next()) {
                    states.add(rs.getString(1).strip());
                }
            }
            return states;
        });
    }

    private long outboxRows() {
        return node.store.inTransaction("count the outbox", c -> {
            try (java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM link_outbox")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void anUnknownTransactionIsRefused() throws Exception {
        List<String> before = books();
        refused("-2", "infno: unknown transaction 9999", his.call("9999", "630000", HisClient.object()));
        assertEquals(before, books());
    }

    @Test
    void aHospitalNeitherSeesNorChangesAnotherHospitalsVisit() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        List<String> before = books();
        refused("-2", "no visit " + mdtrtId + " at hospital " + other.hospital,
                other.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        refused("-2", "no visit", other.call("2301", "630000", fees(mdtrtId, PSN)));
        assertEquals(before, books());
    }

    @Test
    void aRequestNamingAnotherHospitalThanItsSignerIsRefused() throws Exception {
        ObjectNode envelope = his.envelope("2401", node.msgid(his.hospital), "630000", admission(PSN));
        byte[] body = HisClient.JSON.writeValueAsBytes(envelope);
        JsonNode answer = HisClient.JSON.readTree(node.his.call(other.hospital, body));
        refused("-2", "fixmedins_code: the request is signed with the key of " + other.hospital, answer);
    }

    @Test
    void anInfTimeThatIsNoTimeIsRefusedNamingItAndNothingIsDoneWhileAnAnsweredMsgidIsStillKnownAsAnswered()
            throws Exception {
        file(PSN);
        List<String> before = books();
        for (String sent : List.of("2026-02-30 10:00:00", "2026-12-07 24:00:00", "2026-12-07T10:00:00", "yesterday")) {
            ObjectNode envelope = his.envelope("2401", "630000", admission(PSN));
            envelope.put("inf_time", sent);
            refused("-2", "inf_time: must be a time yyyy-MM-dd HH:mm:ss: '" + sent + "'", his.send(envelope));
        }
        assertEquals(before, books(), "nothing done");
        // none given: nothing to check (an admission made)
        ObjectNode admitted = his.envelope("2401", "630000", admission(PSN));
        admitted.remove("inf_time");
        String mdtrtId = HisClient.ok(his.send(admitted)).path("result").path("mdtrt_id").asText();
        List<String> admittedBooks = books();
        // each way of looking a msgid up: before (2401), in its commit (2301), by its handler (2304)
        for (String infno : List.of("2401", "2301", "2304")) {
            ObjectNode envelope = his.envelope(infno, "630000", switch (infno) {
                case "2401" -> admission(PSN);
                case "2301" -> fees(mdtrtId, PSN);
                default -> settlement(mdtrtId, PSN, TOTAL);
            });
            envelope.put("inf_time", "2026-04-31 08:00:00");
            refused("-2", "inf_time: must be a time yyyy-MM-dd HH:mm:ss: '2026-04-31 08:00:00'", his.send(envelope));
        }
        assertEquals(admittedBooks, books(), "nothing done");
        // an answered msgid sent with an impossible inf_time is another body: refused as a msgid used before
        ObjectNode uploaded = his.envelope("2301", "630000", fees(mdtrtId, PSN));
        HisClient.ok(his.send(uploaded));
        uploaded.put("inf_time", "2026-02-29 08:00:00");
        refused("-2", "msgid: " + uploaded.get("msgid").asText() + " was already used for a different request",
                his.send(uploaded));
        // so also an answered admission (looked up before) and an answered settlement (by its handler)
        admitted.put("inf_time", "2026-02-29 08:00:00");
        refused("-2", "msgid: " + admitted.get("msgid").asText() + " was already used for a different request",
                his.send(admitted));
        file(PSN2);
        ObjectNode settled = his.envelope("2304", "630000", settlement(dischargedVisit(his, PSN2), PSN2, TOTAL));
        HisClient.ok(his.send(settled));
        settled.put("inf_time", "2026-02-29 08:00:00");
        refused("-2", "msgid: " + settled.get("msgid").asText() + " was already used for a different request",
                his.send(settled));
    }

    @Test
    void aRepeatedMsgidGetsTheFirstAnswerAndNothingTwiceAndADifferentBodyIsRefused() throws Exception {
        file(PSN);
        String msgid = node.msgid(his.hospital);
        ObjectNode envelope = his.envelope("2401", msgid, "630000", admission(PSN));
        byte[] body = HisClient.JSON.writeValueAsBytes(envelope);
        byte[] first = node.his.call(his.hospital, body);
        List<String> after = books();
        byte[] again = node.his.call(his.hospital, body);
        assertArrayEquals(first, again);
        assertEquals(after, books(), "nothing done twice");
        ((ObjectNode) envelope.get("input").get("mdtrtinfo")).put("ipt_no", "ZY9999");
        refused("-2", "msgid: " + msgid + " was already used for a different request", his.send(envelope));
        assertEquals(after, books());
    }

    @Test
    void totalsThatDoNotAddUpAreRefused() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        List<String> before = books();
        refused("-2", "input.data.medfee_sumamt: 10986.61 differs from the total of the uploaded fee details, 10986.60",
                his.call("2304", "630000", settlement(mdtrtId, PSN, new BigDecimal("10986.61"))));
        assertEquals(before, books());
    }

    @Test
    void aSettlementWithoutFilingIsRefusedAndALateFilingBeforeDischargeSettlementLetsItThrough() throws Exception {
        String mdtrtId = dischargedVisit(his, PSN);
        List<String> before = books();
        refused("-2", "no filing (备案)", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals(before, books());
        home.filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 3, 1), Optional.empty(), "个人承诺", ""), Actor.console("agency"), "补办");
        HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
    }

    @Test
    void aPreSettlementSoonAfterTheAdmissionAndItsSettlementAskTheInsuredNodeNothingAndAnswerTheSameAmounts()
            throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        int before = home.coverageAsked.get();
        JsonNode pre = HisClient.ok(his.call("2303", "630000", settlement(mdtrtId, PSN, TOTAL)));
        JsonNode answer = his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL));
        JsonNode settled = HisClient.ok(answer);
        assertEquals(0, home.coverageAsked.get() - before,
                "the admission's coverage, read minutes ago, is used by the pre-settlement, and its by the settlement");
        for (String field : List.of("medfee_sumamt", "hifp_pay", "fund_pay_sumamt", "acct_pay", "psn_cash_pay",
                "balc")) {
            assertEquals(pre.path("setlinfo").path(field).decimalValue(),
                    settled.path("setlinfo").path(field).decimalValue(), field);
        }
        assertFalse(answer.path("warn_msg").asText().contains("computed again"), answer.toString());
        assertEquals(Money.ofYuan("46000.00").minus(Money.ofYuan(settled.path("setlinfo").path("acct_pay")
                .decimalValue())), home.balance(PSN));
    }

    @Test
    void aPreSettlementAsksTheInsuredNodeWhenWhatIsKnownOfThePersonIsOlderThanTheSetting() throws Exception {
        MonthlyClearingTest.MovingClock clock = new MonthlyClearingTest.MovingClock(LocalDateTime.of(2026, 3, 6, 9, 0));
        Network timed = Network.ofProvinceNodes(clock);
        Network.InsuredNode insured = timed.insured("630000");
        insured.importPersons(PERSONS);
        insured.filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        Network.TreatmentNode treatment = timed.treatment("330000");
        HisClient client = new HisClient(treatment, treatment.hospital(3));
        String first = dischargedVisit(client, PSN);
        String second = dischargedVisit(client, PSN);
        // ten minutes (the default) after the admissions: still used
        clock.advance(Duration.ofMinutes(10));
        int before = insured.coverageAsked.get();
        HisClient.ok(client.call("2303", "630000", settlement(first, PSN, TOTAL)));
        assertEquals(0, insured.coverageAsked.get() - before, "known ten minutes ago: not asked");
        // a minute more: asked, and the settlement uses what the pre-settlement read
        clock.advance(Duration.ofMinutes(1));
        HisClient.ok(client.call("2303", "630000", settlement(second, PSN, TOTAL)));
        assertEquals(1, insured.coverageAsked.get() - before, "known eleven minutes ago: asked");
        HisClient.ok(client.call("2304", "630000", settlement(second, PSN, TOTAL)));
        assertEquals(1, insured.coverageAsked.get() - before, "the pre-settlement's coverage used by the settlement");
        // what the settlement left is fresh again; with the setting at 0 every pre-settlement asks
        HisClient.ok(client.call("2303", "630000", settlement(first, PSN, TOTAL)));
        assertEquals(1, insured.coverageAsked.get() - before, "left by the settlement just now: not asked");
        treatment.his.modified(java.util.Map.of("admissionMaxAgeDays", "3650", "preSettlementKnownMinutes", "0"));
        HisClient.ok(client.call("2303", "630000", settlement(first, PSN, TOTAL)));
        assertEquals(2, insured.coverageAsked.get() - before, "preSettlementKnownMinutes = 0: asked");
        // a value that is not a number of minutes from 0 to 1440 is said (WARN) and the default used, as no setting
        for (String bad : List.of("ten", "-1", "1441", "2.5")) {
            treatment.his.modified(java.util.Map.of("admissionMaxAgeDays", "3650", "preSettlementKnownMinutes", "0"));
            treatment.his.modified(java.util.Map.of("admissionMaxAgeDays", "3650", "preSettlementKnownMinutes", bad));
            HisClient.ok(client.call("2303", "630000", settlement(first, PSN, TOTAL)));
            assertEquals(2, insured.coverageAsked.get() - before, bad + ": the default, ten minutes");
        }
        treatment.his.modified(java.util.Map.of("admissionMaxAgeDays", "3650", "preSettlementKnownMinutes", "0"));
        treatment.his.modified(java.util.Map.of("admissionMaxAgeDays", "3650"));
        HisClient.ok(client.call("2303", "630000", settlement(first, PSN, TOTAL)));
        assertEquals(2, insured.coverageAsked.get() - before, "no setting: the default, ten minutes");
    }

    /**
     * Two discharged stays of {@link #PSN} (filed), the first settled and reversed: the insured node's version and
     * balance moved on, what this node keeps of the person (left by the first settlement) did not.
     *
     * @return the second stay's {@code mdtrt_id}
     */
    private String secondStayAfterTheFirstWasSettledAndReversed() {
        file(PSN);
        String first = dischargedVisit(his, PSN);
        String second = dischargedVisit(other, PSN);
        String setlId = HisClient.ok(his.call("2304", "630000", settlement(first, PSN, TOTAL))).path("setlinfo")
                .path("setl_id").asText();
        HisClient.ok(his.call("2305", "630000", reversal(setlId, first, PSN)));
        return second;
    }

    @Test
    void aPreSettlementFromWhatWasKnownBeforeAReversalThereIsCorrectedBySettlementWhichSaysByHowMuch()
            throws Exception {
        String second = secondStayAfterTheFirstWasSettledAndReversed();
        int before = home.coverageAsked.get();
        JsonNode pre = HisClient.ok(other.call("2303", "630000", settlement(second, PSN, TOTAL))).path("setlinfo");
        assertEquals(0, home.coverageAsked.get() - before, "the estimate from what the first settlement left");
        JsonNode answer = other.call("2304", "630000", settlement(second, PSN, TOTAL));
        JsonNode settled = HisClient.ok(answer);
        assertEquals(1, home.coverageAsked.get() - before, "refused as stale, recomputed from a fresh coverage");
        JsonNode setlinfo = settled.path("setlinfo");
        assertEquals(Money.ofYuan("46000.00").minus(Money.ofYuan(setlinfo.path("acct_pay").decimalValue())),
                home.balance(PSN));
        assertEquals(Money.ofYuan("46000.00").minus(Money.ofYuan(setlinfo.path("acct_pay").decimalValue())),
                Money.ofYuan(setlinfo.path("balc").decimalValue()), "computed from the balance after the reversal");
        // the estimate was not the settlement: the clerk is told, with both figures
        assertTrue(List.of("fund_pay_sumamt", "acct_pay", "psn_cash_pay").stream().anyMatch(f ->
                pre.path(f).decimalValue().compareTo(setlinfo.path(f).decimalValue()) != 0), pre + " / " + setlinfo);
        String warning = answer.path("warn_msg").asText();
        assertTrue(warning.contains("computed again: the insured province's accumulators, filing or insured record of "
                + "the person changed after the pre-settlement"), answer::toString);
        for (String f : List.of("fund_pay_sumamt", "acct_pay", "psn_cash_pay")) {
            assertTrue(warning.contains(f + " " + Money.ofYuan(setlinfo.path(f).decimalValue()) + " (was "
                    + Money.ofYuan(pre.path(f).decimalValue()) + ")"), warning);
        }
    }

    @Test
    void aSettlementWithoutPreSettlementIsComputedFromTheCoverageReadAtAdmissionAndAppliedInOneExchange()
            throws Exception {
        file(PSN);
        String first = dischargedVisit(his, PSN);
        String second = dischargedVisit(other, PSN);
        int before = home.coverageAsked.get();
        JsonNode settledFirst = HisClient.ok(his.call("2304", "630000", settlement(first, PSN, TOTAL))).path("setlinfo");
        // the second stay: from what the first left known (its accumulators after the first, the version after it)
        JsonNode settledSecond = HisClient.ok(other.call("2304", "630000", settlement(second, PSN, TOTAL)))
                .path("setlinfo");
        assertEquals(0, home.coverageAsked.get() - before, "no coverage asked: each settlement is one exchange");
        Money expected = Money.ofYuan("46000.00").minus(Money.ofYuan(settledFirst.path("acct_pay").decimalValue()))
                .minus(Money.ofYuan(settledSecond.path("acct_pay").decimalValue()));
        assertEquals(expected, home.balance(PSN));
        assertEquals(Money.ofYuan(settledFirst.path("balc").decimalValue()).minus(
                Money.ofYuan(settledSecond.path("acct_pay").decimalValue())),
                Money.ofYuan(settledSecond.path("balc").decimalValue()), "the second computed from the balance the first left");
        List<String> books = books();
        assertTrue(books.contains("insured_settlement=2") && books.contains("settled visits=2"), books.toString());
    }

    @Test
    void accumulatorsThatMovedSinceTheAdmissionAreRecomputedFromAFreshCoverage() throws Exception {
        String second = secondStayAfterTheFirstWasSettledAndReversed();
        int before = home.coverageAsked.get();
        JsonNode settled = HisClient.ok(other.call("2304", "630000", settlement(second, PSN, TOTAL))).path("setlinfo");
        assertEquals(1, home.coverageAsked.get() - before, "refused as stale, recomputed from a fresh coverage");
        assertEquals(Money.ofYuan("46000.00").minus(Money.ofYuan(settled.path("acct_pay").decimalValue())),
                home.balance(PSN));
        assertEquals(Money.ofYuan("46000.00").minus(Money.ofYuan(settled.path("acct_pay").decimalValue())),
                Money.ofYuan(settled.path("balc").decimalValue()), "computed from the balance after the reversal");
    }

    @Test
    void aPersonWhoseTypeChangedAtTheInsuredPlaceSinceTheAdmissionIsSettledAsTheyAreNow() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        // the insured province's new extract: the person retired meanwhile (1101 in service -> 1102 retired)
        home.importPersons(PERSONS.replace(
                "63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1101,",
                "63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1102,"));
        int before = home.coverageAsked.get();
        JsonNode settled = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL))).path("setlinfo");
        assertEquals(1, home.coverageAsked.get() - before, "refused as computed for the person as they were");
        assertEquals("1102", settled.path("psn_type").asText(), settled::toString);
    }

    @Test
    void aFilingCancelledBetweenPreSettlementAndSettlementIsNoticedAndNothingIsSettled() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        HisClient.ok(his.call("2303", "630000", settlement(mdtrtId, PSN, TOTAL)));
        String filingId = home.filings.forPerson(PSN).get(0).filingId();
        home.filings.cancel(filingId, Actor.console("agency"), "moved back", true);
        List<String> before = books();
        refused("-2", "no filing (备案)", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        List<String> after = books();
        // the abandoned PENDING row stays as a record at the treatment node; nothing else changed
        assertEquals(before.stream().filter(l -> !l.startsWith("settlement=")).toList(),
                after.stream().filter(l -> !l.startsWith("settlement=")).toList());
        assertTrue(after.contains("settled visits=0") && after.contains("insured_settlement=0"), after.toString());
    }

    @Test
    void accumulatorsThatMovedSinceThePreSettlementAreRecomputedNotOverwritten() throws Exception {
        file(PSN);
        String first = dischargedVisit(his, PSN);
        String second = dischargedVisit(other, PSN);
        JsonNode preSecond = HisClient.ok(other.call("2303", "630000", settlement(second, PSN, TOTAL))).path("setlinfo");
        JsonNode settledFirst = HisClient.ok(his.call("2304", "630000", settlement(first, PSN, TOTAL))).path("setlinfo");
        JsonNode settledSecond = HisClient.ok(other.call("2304", "630000", settlement(second, PSN, TOTAL)))
                .path("setlinfo");
        // the first stay moved the accumulators after the second was pre-settled: the kept coverage is stale, the
        // insured node says so and the second is computed again (the repeat admission pays another deductible)
        List<String> fields = List.of("hifp_pay", "acct_pay", "psn_cash_pay");
        assertTrue(fields.stream().anyMatch(f -> preSecond.path(f).decimalValue().compareTo(settledSecond.path(f).decimalValue()) != 0),
                preSecond + " / " + settledSecond);
        Money expected = Money.ofYuan("46000.00").minus(Money.ofYuan(settledFirst.path("acct_pay").decimalValue()))
                .minus(Money.ofYuan(settledSecond.path("acct_pay").decimalValue()));
        assertEquals(expected, home.balance(PSN));
    }

    @Test
    void aSecondSettlementAndASecondReversalAreRefused() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        String setlId = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL))).path("setlinfo")
                .path("setl_id").asText();
        List<String> settled = books();
        refused("-2", "already settled", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals(settled, books());
        JsonNode rev = HisClient.ok(his.call("2305", "630000", reversal(setlId, mdtrtId, PSN))).path("setlinfo");
        assertTrue(rev.path("fund_pay_sumamt").decimalValue().signum() < 0);
        assertEquals(Money.ofYuan("46000.00"), home.balance(PSN));
        List<String> reversed = books();
        refused("-2", "already reversed", his.call("2305", "630000", reversal(setlId, mdtrtId, PSN)));
        refused("-2", "no settlement S1", his.call("2305", "630000", reversal("S1", mdtrtId, PSN)));
        assertEquals(reversed, books());
        // after a reversal the visit is settled again
        HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
    }

    @Test
    void oneSettlementReversedByFourRequestsAtOnceThroughTwoInstancesIsReversedOnce() throws Exception {
        file(PSN);
        Money before = home.balance(PSN);
        for (int round = 0; round < 3; round++) {
            String mdtrtId = dischargedVisit(his, PSN);
            String setlId = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)))
                    .path("setlinfo").path("setl_id").asText();
            List<ObjectNode> four = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                four.add(his.envelope("2305", node.msgid(his.hospital), "630000", reversal(setlId, mdtrtId, PSN)));
            }
            int reversals = 0;
            for (JsonNode answer : atOnce(four)) {
                if ("0".equals(answer.path("infcode").asText())) {
                    reversals++;
                } else {
                    assertEquals("-2", answer.path("infcode").asText(), answer.toString());
                    assertTrue(answer.path("err_msg").asText().contains(setlId), answer.toString());
                }
            }
            assertEquals(1, reversals, "round " + round + ": one reversal of " + setlId);
        }
        // three settlements, each reversed once: the person's account as before, every ledger entry matched
        assertEquals(before, home.balance(PSN));
        assertEquals(List.of(), node.ledger.verify().problems());
        assertEquals(List.of(), home.ledger.verify().problems());
        List<String> states = settlementStates();
        assertEquals(3, states.stream().filter("REVERSED"::equals).count(), states.toString());
        assertEquals(3, states.stream().filter("SETTLED"::equals).count(), "the three reversals: " + states);
    }

    /** Sends {@code envelopes} at once, alternately through this instance and a second one on the same database. */
    private List<JsonNode> atOnce(List<ObjectNode> envelopes) throws Exception {
        HisClient second = new HisClient(new Network.TreatmentNode("330000", network, node.store), node.hospital(3));
        List<Callable<JsonNode>> all = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i++) {
            HisClient via = i % 2 == 0 ? his : second;
            ObjectNode envelope = envelopes.get(i);
            all.add(() -> via.send(envelope));
        }
        return org.medsettle.store.testing.AtOnce.run(all);
    }

    private ObjectNode envelope(String infno, ObjectNode input) {
        return his.envelope(infno, node.msgid(his.hospital), "630000", input);
    }

    @Test
    void requestsOnOneVisitAtOnceThroughTwoInstancesAreEachDoneOrRefusedAndTheTwoNodesAgree() throws Exception {
        file(PSN);
        for (int round = 0; round < 3; round++) {
            // the same lines uploaded four times at once: once
            String open = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
            assertOneDone("uploads", atOnce(List.of(envelope("2301", fees(open, PSN)), envelope("2301", fees(open, PSN)),
                    envelope("2301", fees(open, PSN)), envelope("2301", fees(open, PSN)))));
            // discharged four times at once: once
            assertOneDone("discharges", atOnce(List.of(envelope("2402", discharge(open, PSN)),
                    envelope("2402", discharge(open, PSN)), envelope("2402", discharge(open, PSN)),
                    envelope("2402", discharge(open, PSN)))));
            // settled while its discharge is cancelled: either or both, in some order
            assertDoneOrRefused("a settlement and a cancelled discharge", atOnce(List.of(
                    envelope("2304", settlement(open, PSN, TOTAL)), envelope("2405", visitData(open, PSN)))));
            // an admission cancelled while lines are uploaded
            String open2 = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
            assertDoneOrRefused("a cancelled admission and an upload", atOnce(List.of(
                    envelope("2404", visitData(open2, PSN)), envelope("2301", fees(open2, PSN)))));
            // a settlement reversed and corrected at once: taken back once — the correction of a settlement reversed
            // meanwhile undoes nothing more and is done; a reversal of a corrected one is refused
            String[] settled = settledUnderAKnownMsgid();
            ObjectNode correction = HisClient.object();
            correction.putObject("data").put("psn_no", PSN).put("omsgid", settled[1]).put("oinfno", "2304");
            assertSomeDone("a reversal and a correction", atOnce(List.of(
                    envelope("2305", reversal(settlementOf(settled[0]), settled[0], PSN)),
                    envelope("2601", correction))));
            // a settlement corrected twice at once: both answered done (a correction of a corrected message does
            // nothing), the money taken back once
            String[] twice = settledUnderAKnownMsgid();
            ObjectNode again = HisClient.object();
            again.putObject("data").put("psn_no", PSN).put("omsgid", twice[1]).put("oinfno", "2304");
            assertAllDone("two corrections", atOnce(List.of(envelope("2601", again.deepCopy()),
                    envelope("2601", again.deepCopy()))));
            // a message never answered, corrected twice at once: both done, its late arrival refused
            String lost = node.msgid(his.hospital);
            ObjectNode never = HisClient.object();
            never.putObject("data").put("psn_no", PSN).put("omsgid", lost).put("oinfno", "2304");
            assertAllDone("two corrections of a lost message", atOnce(List.of(envelope("2601", never.deepCopy()),
                    envelope("2601", never.deepCopy()))));
            refused("-2", "was corrected (2601)", his.send(his.envelope("2304", lost, "630000",
                    settlement(open, PSN, TOTAL))));
        }
        assertEquals(List.of(), node.ledger.verify().problems());
        assertEquals(List.of(), home.ledger.verify().problems());
        // every settlement in force here is applied there, and nothing else is
        long inForce = node.store.inTransaction("count", c -> count(c,
                "SELECT COUNT(*) FROM settlement WHERE kind = 'SETTLEMENT' AND state = 'SETTLED'"));
        long applied = home.store.inTransaction("count", c -> count(c,
                "SELECT COUNT(*) FROM insured_settlement WHERE state IN ('APPLIED', 'CONFIRMED')"));
        assertEquals(inForce, applied, "settlements in force at the treatment node, applied at the insured node");
    }

    private static long count(java.sql.Connection c, String sql) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertDoneOrRefused(String what, List<JsonNode> answers) {
        for (JsonNode a : answers) {
            assertTrue(List.of("0", "-2").contains(a.path("infcode").asText()), what + ": " + a);
        }
    }

    private static void assertOneDone(String what, List<JsonNode> answers) {
        assertDoneOrRefused(what, answers);
        assertEquals(1, answers.stream().filter(a -> "0".equals(a.path("infcode").asText())).count(),
                what + ": " + answers);
    }

    private static void assertSomeDone(String what, List<JsonNode> answers) {
        assertDoneOrRefused(what, answers);
        assertTrue(answers.stream().anyMatch(a -> "0".equals(a.path("infcode").asText())), what + ": " + answers);
    }

    private static void assertAllDone(String what, List<JsonNode> answers) {
        for (JsonNode a : answers) {
            assertEquals("0", a.path("infcode").asText(), what + ": " + a);
        }
    }

    private String settlementOf(String mdtrtId) {
        return node.store.inTransaction("setl", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT setl_id FROM visit WHERE mdtrt_id = ?")) {
                ps.setString(1, mdtrtId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }


    static ObjectNode visitData(String mdtrtId, String psnNo) {
        ObjectNode in = HisClient.object();
        in.putObject("data").put("mdtrt_id", mdtrtId).put("psn_no", psnNo);
        return in;
    }

    @Test
    void aCancelledDischargeReopensTheStayForMoreFeesAndALaterDischarge() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        // 2405 of an open, another hospital's, or an outpatient visit is refused and changes nothing
        List<String> before = books();
        refused("-2", "no visit " + mdtrtId, other.call("2405", "630000", visitData(mdtrtId, PSN)));
        refused("-2", "input.data.psn_no", his.call("2405", "630000", visitData(mdtrtId, "bad no!")));
        assertEquals(before, books());

        HisClient.ok(his.call("2405", "630000", visitData(mdtrtId, PSN)));
        refused("-2", "discharge the patient first (2402)", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        refused("-2", "it has not been discharged", his.call("2405", "630000", visitData(mdtrtId, PSN)));
        ObjectNode more = fees(mdtrtId, PSN);
        ((ObjectNode) more.path("feedetail").get(0)).put("feedetl_sn", "0101");
        ((ArrayNode) more.path("feedetail")).remove(3);
        ((ArrayNode) more.path("feedetail")).remove(2);
        ((ArrayNode) more.path("feedetail")).remove(1);
        HisClient.ok(his.call("2301", "630000", more));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        BigDecimal total = TOTAL.add(new BigDecimal("720.00"));
        String setlId = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total))).path("setlinfo")
                .path("setl_id").asText();

        // a settled stay: reverse first, then the discharge can be cancelled
        List<String> settled = books();
        refused("-2", "reverse the settlement first (2305)", his.call("2405", "630000", visitData(mdtrtId, PSN)));
        assertEquals(settled, books());
        HisClient.ok(his.call("2305", "630000", reversal(setlId, mdtrtId, PSN)));
        String msgid = node.msgid(his.hospital);
        HisClient.ok(his.send(his.envelope("2405", msgid, "630000", visitData(mdtrtId, PSN))));

        // a 2601 of that 2405 restores the discharge as it was: the stay settles again at once
        ObjectNode corr = HisClient.object();
        corr.putObject("data").put("psn_no", PSN).put("omsgid", msgid).put("oinfno", "2405");
        HisClient.ok(his.call("2601", "630000", corr));
        HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total)));
    }

    @Test
    void anOutpatientVisitHasNoDischargeToCancel() throws Exception {
        file(PSN);
        ObjectNode reg = HisClient.object();
        reg.putObject("data").put("psn_no", PSN).put("insutype", "310").put("begntime", "2026-03-01 09:00:00")
                .put("ipt_otp_no", "MZ0001");
        String mdtrtId = HisClient.ok(his.call("2201", "630000", reg)).path("data").path("mdtrt_id").asText();
        refused("-2", "outpatient visit: no discharge", his.call("2405", "630000", visitData(mdtrtId, PSN)));
    }

    @Test
    void whenTheInsuredNodeIsDownTheHospitalGetsMinusOneAndNothingIsDone() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        List<String> before = books();
        home.down = true;
        ObjectNode envelope = his.envelope("2304", node.msgid(his.hospital), "630000", settlement(mdtrtId, PSN, TOTAL));
        JsonNode answer = his.send(envelope);
        assertEquals("-1", answer.path("infcode").asText());
        assertTrue(answer.path("err_msg").asText().contains("nothing was done"), answer.toString());
        assertEquals(before, books(), "nothing half-done");
        // the same request once the node is back: settled, once
        home.down = false;
        HisClient.ok(his.send(envelope));
        assertTrue(books().contains("insured_settlement=1") && books().contains("settled visits=1"), books().toString());
    }

    @Test
    void aSettlementComputedFromTheAdmissionsCoverageThatCertainlyDidNotReachTheInsuredNodeLeavesNothingPending()
            throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        List<String> before = books();
        int asked = home.coverageAsked.get();
        // the insured node goes down after the admission: the settlement, computed from what the admission read, is
        // sent once and the hub answers that the node cannot be reached
        home.down = true;
        JsonNode answer = his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL));
        assertEquals(asked, home.coverageAsked.get(), "applied at once, no coverage asked");
        assertEquals("-1", answer.path("infcode").asText());
        assertTrue(answer.path("err_msg").asText().contains("nothing was done"), answer.toString());
        assertEquals(before, books(), "nothing pending, nothing settled");
        assertEquals(List.of("ABANDONED"), settlementStates(mdtrtId));
    }

    private List<String> settlementStates(String mdtrtId) throws Exception {
        return node.store.inTransaction("states", c -> {
            List<String> states = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM settlement WHERE mdtrt_id = ?")) {
                ps.setString(1, mdtrtId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        states.add(rs.getString(1));
                    }
                }
            }
            return states;
        });
    }

    /** A 2304 sent while the insured node fails before applying: answered -1 (repeat the msgid); its envelope. */
    private ObjectNode settlementTheInsuredNodeNeverApplied() {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        home.applyDown = true;
        ObjectNode envelope = his.envelope("2304", node.msgid(his.hospital), "630000", settlement(mdtrtId, PSN, TOTAL));
        JsonNode answer = his.send(envelope);
        assertEquals("-1", answer.path("infcode").asText());
        assertTrue(answer.path("err_msg").asText().contains("repeat this request with the same msgid"), answer.toString());
        return envelope;
    }

    @Test
    void whenTheInsuredNodeFailsBeforeApplyingTheOutcomeIsUncertainAndARepeatSettlesOnce() throws Exception {
        ObjectNode envelope = settlementTheInsuredNodeNeverApplied();
        assertTrue(books().contains("settled visits=0"), books().toString());
        assertEquals(Money.ofYuan("46000.00"), home.balance(PSN));
        home.applyDown = false;
        JsonNode settled = HisClient.ok(his.send(envelope));
        assertEquals(settled, HisClient.ok(his.send(envelope)), "the repeat answers the same settlement");
        assertTrue(books().contains("insured_settlement=1"), books().toString());
    }

    @Test
    void aPendingSettlementWhoseBillChangedBeforeItsRepeatIsComputedAnewOnTheBillAsItIs() throws Exception {
        ObjectNode envelope = settlementTheInsuredNodeNeverApplied();
        String mdtrtId = envelope.path("input").path("data").path("mdtrt_id").asText();
        String pending = node.store.inTransaction("pending", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT setl_id FROM settlement WHERE mdtrt_id = ? "
                    + "AND state = 'PENDING'")) {
                ps.setString(1, mdtrtId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "the settlement is pending");
                    return rs.getString(1);
                }
            }
        });
        home.applyDown = false;
        // meanwhile the bill changes, its total the same: line 0004 cancelled, the same 9.00 uploaded as line 0005
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0004").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        HisClient.ok(his.call("2302", "630000", cancel));
        ObjectNode again = HisClient.object();
        again.putArray("feedetail").addObject().put("feedetl_sn", "0005").put("mdtrt_id", mdtrtId).put("psn_no", PSN)
                .put("fee_ocur_time", "2026-03-02 10:00:00").put("med_list_codg", "000141388808906")
                .put("medins_list_codg", "H0005").put("pric", new BigDecimal("0.90")).put("cnt", new BigDecimal("10"))
                .put("det_item_fee_sumamt", new BigDecimal("9.00"));
        HisClient.ok(his.call("2301", "630000", again));
        // the repeat does not finish the pending settlement on the old bill: taken back, computed anew
        JsonNode settled = HisClient.ok(his.send(envelope));
        assertNotEquals(pending, settled.path("setlinfo").path("setl_id").asText());
        assertEquals(0, TOTAL.compareTo(settled.path("setlinfo").path("medfee_sumamt").decimalValue()));
        List<String> states = settlementStates(mdtrtId);
        assertTrue(states.contains("ABANDONED") && states.contains("SETTLED") && states.size() == 2, states.toString());
        assertEquals(settled, HisClient.ok(his.send(envelope)), "a further repeat answers the new settlement");
        assertTrue(books().contains("settled visits=1"), books().toString());
    }

    @Test
    void aPendingSettlementNobodyFinishesIsReleasedAfterTenMinutes() throws Exception {
        ObjectNode envelope = settlementTheInsuredNodeNeverApplied();
        home.applyDown = false;
        HisService now = new HisService(node.store, TestIdentities.node("330000"), node.hospitals,
                org.medsettle.engine.internal.Reference.catalogue("330000"), new org.medsettle.engine.internal.RulesEngine(),
                Network.POLICIES, node.store, network::insuredPlace, Network::writeNotice, node.ledger, node.supervision, java.time.Clock.systemUTC());
        HisService later = new HisService(node.store, TestIdentities.node("330000"), node.hospitals,
                org.medsettle.engine.internal.Reference.catalogue("330000"), new org.medsettle.engine.internal.RulesEngine(),
                Network.POLICIES, node.store, network::insuredPlace, Network::writeNotice, node.ledger, node.supervision,
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(11)));
        now.releaseStale();
        assertTrue(books().contains("insured_settlement=0"), "not yet ten minutes: " + books());
        later.releaseStale();
        assertTrue(books().toString().contains("insured_settlement=1"), "the release is recorded at the insured place: " + books());
        assertEquals(Money.ofYuan("46000.00"), home.balance(PSN));
        // the repeat of the msgid now settles anew, once
        JsonNode settled = HisClient.ok(his.send(envelope));
        assertTrue(settled.path("setlinfo").path("setl_id").asText().length() > 0);
        assertTrue(books().contains("settled visits=1"), books().toString());
    }

    @Test
    void aCorrectionUndoesASettlementWhoseAnswerWasLostAndRefusesTheLateOriginal() throws Exception {
        String[] settled = settledUnderAKnownMsgid();
        String mdtrtId = settled[0];
        String msgid = settled[1];
        assertNotEquals(Money.ofYuan("46000.00"), home.balance(PSN));
        ObjectNode corr = HisClient.object();
        corr.putObject("data").put("psn_no", PSN).put("omsgid", msgid).put("oinfno", "2304");
        HisClient.ok(his.call("2601", "630000", corr));
        assertEquals(Money.ofYuan("46000.00"), home.balance(PSN), "balance restored");
        refused("-2", "was corrected (2601)", his.send(his.envelope("2304", msgid, "630000", settlement(mdtrtId, PSN, TOTAL))));
        HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));

        // correcting what never arrived is a success, and the original is refused when it comes late
        String lost = node.msgid(his.hospital);
        ObjectNode never = HisClient.object();
        never.putObject("data").put("psn_no", PSN).put("omsgid", lost).put("oinfno", "2401");
        HisClient.ok(his.call("2601", "630000", never));
        refused("-2", "was corrected (2601)", his.send(his.envelope("2401", lost, "630000", admission(PSN))));
    }

    @Test
    void aCorrectedUploadLeavesNoLineBehind() throws Exception {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        String msgid = node.msgid(his.hospital);
        HisClient.ok(his.send(his.envelope("2301", msgid, "630000", fees(mdtrtId, PSN))));
        ObjectNode corr = HisClient.object();
        corr.putObject("data").put("psn_no", PSN).put("omsgid", msgid).put("oinfno", "2301");
        HisClient.ok(his.call("2601", "630000", corr));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        refused("-2", "no fee details uploaded", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
    }

    @Test
    void aCorrectedCancellationBringsItsLinesBackToTheBill() throws Exception {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        String msgid = node.msgid(his.hospital);
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0000").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        HisClient.ok(his.send(his.envelope("2302", msgid, "630000", cancel)));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        refused("-2", "no fee details uploaded", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        ObjectNode corr = HisClient.object();
        corr.putObject("data").put("psn_no", PSN).put("omsgid", msgid).put("oinfno", "2302");
        HisClient.ok(his.call("2601", "630000", corr));
        JsonNode info = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL))).path("setlinfo");
        assertEquals(0, TOTAL.compareTo(info.path("medfee_sumamt").decimalValue()), "all four lines are back");
    }

    @Test
    void cancelledAndReversedFeeLinesLeaveTheBill() throws Exception {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0004").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        HisClient.ok(his.call("2302", "630000", cancel));
        ObjectNode back = HisClient.object();
        ObjectNode l = back.putArray("feedetail").addObject();
        l.put("feedetl_sn", "0005").put("init_feedetl_sn", "0003").put("mdtrt_id", mdtrtId).put("psn_no", PSN)
                .put("fee_ocur_time", "2026-03-03 10:00:00").put("med_list_codg", "XL01XAA415A940769565356")
                .put("pric", new BigDecimal("720.00")).put("cnt", new BigDecimal("-4"))
                .put("det_item_fee_sumamt", new BigDecimal("-2880.00"));
        JsonNode split = HisClient.ok(his.call("2301", "630000", back)).path("result").get(0);
        assertTrue(split.path("det_item_fee_sumamt").decimalValue().signum() < 0);
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        BigDecimal total = TOTAL.subtract(new BigDecimal("9.00")).subtract(new BigDecimal("2880.00"));
        JsonNode info = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total))).path("setlinfo");
        assertEquals(0, total.compareTo(info.path("medfee_sumamt").decimalValue()));
    }

    @Test
    void aBillChangedWhileTheInsuredPlaceAppliesTheSettlementIsNotSettledOnItsOldLines() throws Exception {
        file(PSN);
        String mdtrtId = dischargedVisit(his, PSN);
        List<String> before = books();
        // while the insured place applies the settlement, another clerk cancels line 0004 (9.00)
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0004").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        JsonNode[] cancelled = new JsonNode[1];
        home.beforeNextApply = () -> cancelled[0] = his.call("2302", "630000", cancel);
        refused("-2", "its fee details changed by another request while this settlement was computed",
                his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals("0", cancelled[0].path("infcode").asText(), cancelled[0].toString());
        // nothing settled at either node: the insured place's part was taken back, the balance is whole
        List<String> after = books();
        assertTrue(after.contains("settled visits=0") && after.contains("insured_settlement=0"), after.toString());
        assertEquals(before.get(before.size() - 1), after.get(after.size() - 1));
        // the bill as it is now settles
        BigDecimal total = TOTAL.subtract(new BigDecimal("9.00"));
        JsonNode info = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total))).path("setlinfo");
        assertEquals(0, total.compareTo(info.path("medfee_sumamt").decimalValue()));
    }

    @Test
    void aBillWithACancelledLineIsReadFromItsRowsAfterTheCancellationAndAfterItsUndoing() throws Exception {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        assertEquals(List.of("0"), node.store.inTransaction("flag", c -> rowsFlag(c, mdtrtId)));
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0002").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        HisClient.ok(his.call("2302", "630000", cancel));
        assertEquals(List.of("1"), node.store.inTransaction("flag", c -> rowsFlag(c, mdtrtId)),
                "the cancelled line is a row now, and the visit says so");
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        refused("-2", "differs from the total", his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)));
        BigDecimal total = TOTAL.subtract(new BigDecimal("177.60"));
        JsonNode info = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total))).path("setlinfo");
        assertEquals(0, total.compareTo(info.path("medfee_sumamt").decimalValue()));
    }

    private static List<String> rowsFlag(java.sql.Connection c, String mdtrtId) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fee_rows FROM visit WHERE mdtrt_id = ?")) {
            ps.setString(1, mdtrtId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(Integer.toString(rs.getInt(1)));
                }
                return out;
            }
        }
    }

    private static ObjectNode reversing(String mdtrtId, String sn, String cnt, String amount, String... more) {
        ObjectNode back = HisClient.object();
        com.fasterxml.jackson.databind.node.ArrayNode lines = back.putArray("feedetail");
        List<String> all = new java.util.ArrayList<>(List.of(sn, cnt, amount));
        all.addAll(List.of(more));
        for (int i = 0; i < all.size(); i += 3) {
            lines.addObject().put("feedetl_sn", all.get(i)).put("init_feedetl_sn", "0003").put("mdtrt_id", mdtrtId)
                    .put("psn_no", PSN).put("fee_ocur_time", "2026-03-03 10:00:00")
                    .put("med_list_codg", "XL01XAA415A940769565356").put("pric", new BigDecimal("720.00"))
                    .put("cnt", new BigDecimal(all.get(i + 1)))
                    .put("det_item_fee_sumamt", new BigDecimal(all.get(i + 2)));
        }
        return back;
    }

    @Test
    void reversingLinesTogetherNeverTakeBackMoreThanTheLineHad() throws Exception {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        // line 0003: 14 at 720.00; 12 taken back first, then 3 more refused (only 2 left), in one upload or later
        HisClient.ok(his.call("2301", "630000", reversing(mdtrtId, "0005", "-12", "-8640.00")));
        refused("-2", "feedetail[0].cnt: a reversing line takes back between 0 and 2 of line 0003",
                his.call("2301", "630000", reversing(mdtrtId, "0006", "-3", "-2160.00")));
        refused("-2", "feedetail[1].cnt: a reversing line takes back between 0 and 1 of line 0003",
                his.call("2301", "630000", reversing(mdtrtId, "0006", "-1", "-720.00", "0007", "-2", "-1440.00")));
        refused("-2", "feedetail[0].det_item_fee_sumamt: a reversing line takes back at most 1440.00 of line 0003",
                his.call("2301", "630000", reversing(mdtrtId, "0006", "-2", "-1500.00")));
        // cancelling the first reversal gives its quantity back
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", "0005").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        HisClient.ok(his.call("2302", "630000", cancel));
        HisClient.ok(his.call("2301", "630000", reversing(mdtrtId, "0006", "-7", "-5040.00", "0007", "-7", "-5040.00")));
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        BigDecimal total = TOTAL.subtract(new BigDecimal("10080.00"));
        JsonNode info = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total))).path("setlinfo");
        assertEquals(0, total.compareTo(info.path("medfee_sumamt").decimalValue()), "line 0003 taken back whole");
    }

    @Test
    void twoSettlementsRacingForOnePersonDoNotBothConsumeTheDeductible() throws Exception {
        file(PSN2);
        // sequentially, on a separate network: what the two settlements must come to
        Network alone = aloneWithPsn2Filed();
        HisClient a1 = new HisClient(alone.treatment("330000"), alone.treatment("330000").hospital(3));
        BigDecimal expectedDeductible = BigDecimal.ZERO;
        for (int i = 0; i < 2; i++) {
            String id = dischargedVisitOn(a1, PSN2);
            expectedDeductible = expectedDeductible.add(HisClient.ok(a1.call("2304", "630000",
                    settlement(id, PSN2, TOTAL))).path("setlinfo").path("act_pay_dedc").decimalValue());
        }
        String v1 = dischargedVisit(his, PSN2);
        String v2 = dischargedVisit(his, PSN2);
        List<Callable<JsonNode>> both = List.of(() -> his.call("2304", "630000", settlement(v1, PSN2, TOTAL)),
                () -> his.call("2304", "630000", settlement(v2, PSN2, TOTAL)));
        BigDecimal deductible = BigDecimal.ZERO;
        for (JsonNode answer : org.medsettle.store.testing.AtOnce.run(both)) {
            deductible = deductible.add(HisClient.ok(answer).path("setlinfo").path("act_pay_dedc").decimalValue());
        }
        assertEquals(0, expectedDeductible.compareTo(deductible), "deductible charged " + deductible
                + ", sequentially " + expectedDeductible);
        assertEquals(alone.insured("630000").balance(PSN2), home.balance(PSN2));
    }

    @Test
    void oneVisitSettledByFourRequestsAtOnceThroughTwoInstancesIsSettledOnceAndCountedOnceAtTheInsuredPlace() throws Exception {
        file(PSN2);
        // the same three stays settled one request each, on a separate network: what the person must come to
        Network alone = aloneWithPsn2Filed();
        HisClient a1 = new HisClient(alone.treatment("330000"), alone.treatment("330000").hospital(3));
        List<JsonNode> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.add(HisClient.ok(a1.call("2304", "630000", settlement(dischargedVisitOn(a1, PSN2), PSN2, TOTAL)))
                    .path("setlinfo"));
        }
        // a clerk clicking "settle" four times: four msgids for one visit, at once, through two instances of 330000 on
        // one database (issue 13: no lock shared between them, only the database's rows)
        for (int round = 0; round < 3; round++) {
            String mdtrtId = dischargedVisit(his, PSN2);
            List<ObjectNode> four = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                four.add(his.envelope("2304", node.msgid(his.hospital), "630000", settlement(mdtrtId, PSN2, TOTAL)));
            }
            List<JsonNode> settled = new ArrayList<>();
            for (JsonNode answer : atOnce(four)) {
                if ("0".equals(answer.path("infcode").asText())) {
                    settled.add(answer.path("output").path("setlinfo"));
                } else {
                    // the others: refused (the visit is settled, or was settled while they computed), nothing done
                    assertEquals("-2", answer.path("infcode").asText(), answer.toString());
                    assertTrue(answer.path("err_msg").asText().contains(mdtrtId), answer.toString());
                }
            }
            assertEquals(1, settled.size(), "round " + round + ": one settlement of the visit, not " + settled);
            for (String amount : List.of("medfee_sumamt", "hifp_pay", "act_pay_dedc", "psn_cash_pay", "acct_pay")) {
                assertEquals(0, expected.get(round).path(amount).decimalValue()
                        .compareTo(settled.get(0).path(amount).decimalValue()), "round " + round + ": " + amount);
            }
        }
        assertEquals(alone.insured("630000").balance(PSN2), home.balance(PSN2));
        assertTrue(books().contains("settled visits=3"), books().toString());
        assertEquals(List.of(), node.ledger.verify().problems());
        assertEquals(List.of(), home.ledger.verify().problems());
        assertEquals(3, settlementStates().stream().filter("SETTLED"::equals).count(), settlementStates().toString());
    }

    /** A network of its own, PSN2 filed for 330000: what settlements sent one after another come to. */
    private static Network aloneWithPsn2Filed() {
        Network alone = new Network();
        alone.insured("630000").importPersons(PERSONS);
        alone.insured("630000").filings.file(new FilingRequest(PSN2, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        return alone;
    }

    private static String dischargedVisitOn(HisClient client, String psnNo) {
        String mdtrtId = HisClient.ok(client.call("2401", "630000", admission(psnNo))).path("result").path("mdtrt_id").asText();
        HisClient.ok(client.call("2301", "630000", fees(mdtrtId, psnNo)));
        HisClient.ok(client.call("2402", "630000", discharge(mdtrtId, psnNo)));
        return mdtrtId;
    }

    @Test
    void localPatientsAreNotSettledHere() throws Exception {
        ObjectNode local = admission(PSN);
        ((ObjectNode) local.get("mdtrtinfo")).put("insuplc_admdvs", "330100");
        refused("-2", "insuplc_admdvs: 330100 is this node's own province", his.call("2401", "330100", local));
    }

    @Test
    void anAdmissionWhoseInputAndEnvelopeNameTwoInsuredProvincesIsRefusedAndNoVisitOpened() {
        ObjectNode elsewhere = admission(PSN);
        ((ObjectNode) elsewhere.get("mdtrtinfo")).put("insuplc_admdvs", "110000");
        refused("-2", "input.mdtrtinfo.insuplc_admdvs: 110000 is in another province than the envelope's "
                + "insuplc_admdvs 630000: one request, one insured place", his.call("2401", "630000", elsewhere));
        // the node's own province in the envelope does not pass for a patient insured elsewhere either
        refused("-2", "input.mdtrtinfo.insuplc_admdvs: 630000 is in another province than the envelope's "
                + "insuplc_admdvs 330000", his.call("2401", "330000", admission(PSN)));
        // a city of the same province in one of the two is the same insured place
        ObjectNode city = admission(PSN);
        ((ObjectNode) city.get("mdtrtinfo")).put("insuplc_admdvs", "630100");
        HisClient.ok(his.call("2401", "630000", city));
    }

    @Test
    void aRequestOnAVisitWhoseEnvelopeNamesAnotherInsuredProvinceThanTheVisitsIsRefusedAndChangesNothing()
            throws Exception {
        file(PSN);
        String mdtrtId = HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
        String named = "insuplc_admdvs: 110000: visit " + mdtrtId + " was admitted as insured in 630000";
        List<String> before = books();
        refused("-2", named, his.call("2301", "110000", fees(mdtrtId, PSN)));
        assertEquals(before, books(), "no fee line taken");
        // the same province's city, or no insured place in the envelope, is the visit's
        HisClient.ok(his.call("2301", "630100", fees(mdtrtId, PSN)));
        refused("-2", named, his.call("2402", "110000", discharge(mdtrtId, PSN)));
        HisClient.ok(his.call("2402", "", discharge(mdtrtId, PSN)));
        refused("-2", named, his.call("2303", "110000", settlement(mdtrtId, PSN, TOTAL)));
        before = books();
        refused("-2", named, his.call("2304", "110000", settlement(mdtrtId, PSN, TOTAL)));
        assertEquals(before, books(), "nothing settled, nothing asked of the insured place");
        assertEquals("630000", HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, TOTAL)))
                .path("setlinfo").path("clr_optins").asText());
    }

    @Test
    void aRequestNamingAnInsuredPlaceInNoProvinceIsRefusedBeforeAVisitIsOpened() {
        ObjectNode nowhere = admission(PSN);
        ((ObjectNode) nowhere.get("mdtrtinfo")).put("insuplc_admdvs", "990000");
        refused("-2", "insuplc_admdvs: 990000 is not in a province", his.call("2401", "990000", nowhere));
        // the admission's own insuplc_admdvs, which comes before the envelope's
        refused("-2", "insuplc_admdvs: 990000 is not in a province", his.call("2401", "630000", nowhere));
        ObjectNode q = HisClient.object();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "631303199608106108");
        refused("-2", "insuplc_admdvs: 710000 is not in a province", his.call("1101", "710000", q));
        // the same admission for the person's real insured place opens the visit
        HisClient.ok(his.call("2401", "630000", admission(PSN)));
    }

    @Test
    void aCredentialOfNoKnownKindOrASettlementWayNotOfferedIsRefusedAtAdmissionAndSettlement() {
        file(PSN);
        ObjectNode admission = admission(PSN);
        ((ObjectNode) admission.get("mdtrtinfo")).put("mdtrt_cert_type", "99");
        refused("-2", "input.mdtrtinfo.mdtrt_cert_type: must be one of 01, 02, 03: '99'",
                his.call("2401", "630000", admission));
        String mdtrtId = dischargedVisit(his, PSN);
        for (String infno : new String[] {"2303", "2304"}) {
            ObjectNode request = settlement(mdtrtId, PSN, TOTAL);
            ((ObjectNode) request.get("data")).put("mdtrt_cert_type", "99");
            refused("-2", "input.data.mdtrt_cert_type: must be one of 01, 02, 03: '99'",
                    his.call(infno, "630000", request));
        }
        for (String infno : new String[] {"2303", "2304"}) {
            ObjectNode request = settlement(mdtrtId, PSN, TOTAL);
            ((ObjectNode) request.get("data")).put("psn_setlway", "02");
            refused("-2", "input.data.psn_setlway: only 01, settlement by item (按项目结算), is offered: '02'",
                    his.call(infno, "630000", request));
        }
        // the electronic certificate (01) and the social security card (03) are credentials too
        ObjectNode card = settlement(mdtrtId, PSN, TOTAL);
        ((ObjectNode) card.get("data")).put("mdtrt_cert_type", "03");
        HisClient.ok(his.call("2304", "630000", card));
    }

    @Test
    void personInformationComesFromTheInsuredNode() {
        ObjectNode q = HisClient.object();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "631303199608106108");
        JsonNode out = HisClient.ok(his.call("1101", "630000", q));
        assertEquals(PSN, out.path("baseinfo").path("psn_no").asText());
        assertEquals("630000", out.path("insuinfo").get(0).path("insuplc_admdvs").asText());
        assertEquals(0, new BigDecimal("46000.00").compareTo(out.path("insuinfo").get(0).path("balc").decimalValue()));
        ObjectNode unknown = HisClient.object();
        unknown.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "11010519491231002X");
        refused("-2", "no insured person found", his.call("1101", "630000", unknown));
    }
}
