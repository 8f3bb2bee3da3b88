package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.PERSONS;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.PSN;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.TOTAL;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.admission;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.discharge;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.fees;
import static org.medsettle.treatment.internal.his.HisTransactionsTest.settlement;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;

/**
 * Issue 15, step 3: an upload's fee lines are one {@code fee_upload} row; a line changed after its upload becomes a
 * {@code fee_line} row of its own; lines stored as rows before (the schema before V15) are read as before. Each
 * through the HIS interface, each checked by what the settlement bills.
 */
@Tag("database")
class FeeUploadRowsTest {

    private Network.TreatmentNode node;
    private HisClient his;

    @BeforeEach
    void setUp() {
        Network network = new Network();
        Network.InsuredNode home = network.insured("630000");
        home.importPersons(PERSONS);
        home.filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        node = network.treatment("330000");
        his = new HisClient(node, node.hospital(3));
    }

    private String admitted() {
        return HisClient.ok(his.call("2401", "630000", admission(PSN))).path("result").path("mdtrt_id").asText();
    }

    private int count(String sql) {
        return node.store.inTransaction("count", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private BigDecimal billed(String mdtrtId, BigDecimal total) {
        HisClient.ok(his.call("2402", "630000", discharge(mdtrtId, PSN)));
        JsonNode info = HisClient.ok(his.call("2304", "630000", settlement(mdtrtId, PSN, total))).path("setlinfo");
        return info.path("medfee_sumamt").decimalValue();
    }

    private static ObjectNode line(ObjectNode upload, String sn, String mdtrtId, String code, String pric, String cnt,
                                   String amount) {
        ArrayNode lines = upload.has("feedetail") ? (ArrayNode) upload.get("feedetail") : upload.putArray("feedetail");
        ObjectNode l = lines.addObject();
        l.put("feedetl_sn", sn).put("mdtrt_id", mdtrtId).put("psn_no", PSN).put("fee_ocur_time", "2026-03-02 10:00:00")
                .put("med_list_codg", code).put("pric", new BigDecimal(pric)).put("cnt", new BigDecimal(cnt))
                .put("det_item_fee_sumamt", new BigDecimal(amount));
        return l;
    }

    private ObjectNode cancel(String mdtrtId, String sn) {
        ObjectNode cancel = HisClient.object();
        cancel.putObject("data").put("feedetl_sn", sn).put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        return cancel;
    }

    @Test
    void anUploadIsOneRowAndOnlyALineChangedAfterwardsBecomesARowOfItsOwn() {
        String mdtrtId = admitted();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        assertEquals(1, count("SELECT COUNT(*) FROM fee_upload"));
        assertEquals(4, count("SELECT line_count FROM fee_upload"));
        assertEquals(0, count("SELECT COUNT(*) FROM fee_line"));

        // 2302 of line 0004 (9.00): it becomes a row, cancelled; the other three stay in the upload's value
        HisClient.ok(his.call("2302", "630000", cancel(mdtrtId, "0004")));
        assertEquals(1, count("SELECT COUNT(*) FROM fee_line WHERE feedetl_sn = '0004' AND state = 'CANCELLED'"));
        // uploaded again with another amount: that row is the line now, active
        ObjectNode again = HisClient.object();
        line(again, "0004", mdtrtId, "000141388808906", "0.90", "20", "18.00");
        HisClient.ok(his.call("2301", "630000", again));
        assertEquals(1, count("SELECT COUNT(*) FROM fee_line WHERE feedetl_sn = '0004' AND state = 'ACTIVE' "
                + "AND det_item_fee_sumamt = 18.00"));
        assertEquals(1, count("SELECT COUNT(*) FROM fee_upload"), "an upload of only a cancelled serial adds no row");
        BigDecimal total = TOTAL.add(new BigDecimal("9.00"));
        assertEquals(0, total.compareTo(billed(mdtrtId, total)));
    }

    @Test
    void aSerialOfTheUploadsValueCannotBeUploadedAgainUntilCancelledAndAReversalFindsItThere() {
        String mdtrtId = admitted();
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        ObjectNode twice = HisClient.object();
        line(twice, "0002", mdtrtId, "XB05AAA448A030869010040", "17.76", "10", "177.60");
        JsonNode refused = his.call("2301", "630000", twice);
        assertEquals("-2", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("0002 was uploaded before"), refused.toString());
        // a reversing line of 0003 (720.00 x 14) takes back 4 of them; then a 2601 of that upload takes the reversal
        ObjectNode back = HisClient.object();
        line(back, "0005", mdtrtId, "XL01XAA415A940769565356", "720.00", "-4", "-2880.00")
                .put("init_feedetl_sn", "0003");
        String msgid = node.msgid(his.hospital);
        HisClient.ok(his.send(his.envelope("2301", msgid, "630000", back)));
        ObjectNode tooMuch = HisClient.object();
        line(tooMuch, "0006", mdtrtId, "XL01XAA415A940769565356", "720.00", "-15", "-10800.00")
                .put("init_feedetl_sn", "0003");
        JsonNode over = his.call("2301", "630000", tooMuch);
        assertEquals("-2", over.path("infcode").asText(), over.toString());
        ObjectNode corr = HisClient.object();
        corr.putObject("data").put("psn_no", PSN).put("omsgid", msgid).put("oinfno", "2301");
        HisClient.ok(his.call("2601", "630000", corr));
        assertEquals(1, count("SELECT COUNT(*) FROM fee_line WHERE feedetl_sn = '0005' AND state = 'CANCELLED'"));
        assertEquals(0, TOTAL.compareTo(billed(mdtrtId, TOTAL)), "the reversal taken back, the bill is whole");
    }

    @Test
    void fiveHundredLinesInOneUploadTakeSeveralRowsKeepTheirAnswerForARepeatAndSettleToTheFen() {
        String mdtrtId = admitted();
        ObjectNode upload = HisClient.object();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < VisitTransactions.MAX_FEE_LINES; i++) {
            String amount = new BigDecimal(i % 97 + 1).movePointLeft(1).setScale(2).toPlainString();
            line(upload, String.format("L%05d", i), mdtrtId, "000141388808906", amount, "1", amount)
                    // 55 characters, 163 bytes in UTF-8: the rows are cut by bytes (the column is 32,000 bytes)
                    .put("medins_list_codg", "院内项目编码".repeat(9) + i % 10);
            total = total.add(new BigDecimal(amount));
        }
        String msgid = node.msgid(his.hospital);
        ObjectNode request = his.envelope("2301", msgid, "630000", upload);
        JsonNode answer = HisClient.ok(his.send(request));
        assertEquals(500, answer.path("result").size());
        // the largest answer a node keeps for a repeat, gzip at its fastest level: far inside the column's 32,000
        int kept = count("SELECT LENGTH(response_zip) FROM his_message WHERE msgid = '" + msgid + "'");
        assertTrue(kept > 0 && kept < TreatmentStore.MAX_STORED_RESPONSE / 2, "kept answer of " + kept + " bytes");
        assertEquals(answer, HisClient.ok(his.send(request)), "a repeat gets the kept answer");
        int rows = count("SELECT COUNT(*) FROM fee_upload");
        assertTrue(rows >= 3, "rows " + rows);
        assertEquals(500, count("SELECT SUM(line_count) FROM fee_upload"));
        assertEquals(0, count("SELECT COUNT(*) FROM fee_line"));
        HisClient.ok(his.call("2302", "630000", cancel(mdtrtId, "L00499")));
        total = total.subtract(new BigDecimal(499 % 97 + 1).movePointLeft(1));
        assertEquals(0, total.compareTo(billed(mdtrtId, total)));
    }

    @Test
    void linesStoredAsRowsBeforeTheUpgradeAreBilledWithTheNewUploadsAndCanBeCancelled() {
        String mdtrtId = admitted();
        // as the schema before V15 stored them: one fee_line row per line
        node.store.inTransaction("lines as before", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fee_line (mdtrt_id, feedetl_sn, med_list_codg, "
                    + "medins_list_codg, fee_ocur_time, pric, cnt, det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, "
                    + "preselfpay_amt, inscp_scp_amt, chrgitm_lv, state, msgid) VALUES (?, ?, '000141388808906', '', ?, "
                    + "0.90, 10, 9.00, 0, 0, 0, 9.00, '01', 'ACTIVE', 'before-upgrade')")) {
                for (String sn : List.of("9001", "9002")) {
                    ps.setString(1, mdtrtId);
                    ps.setString(2, sn);
                    ps.setTimestamp(3, Timestamp.valueOf(LocalDateTime.of(2026, 3, 1, 12, 0)));
                    ps.executeUpdate();
                }
            }
            // and the visit marked as the treatment schema's V4 marks a visit with such rows when it upgrades
            // (VisitFeeSpanMigrationTest)
            try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET fee_rows = 1 WHERE mdtrt_id = ?")) {
                ps.setString(1, mdtrtId);
                ps.executeUpdate();
            }
            return null;
        });
        HisClient.ok(his.call("2301", "630000", fees(mdtrtId, PSN)));
        ObjectNode clash = HisClient.object();
        line(clash, "9001", mdtrtId, "000141388808906", "0.90", "10", "9.00");
        assertEquals("-2", his.call("2301", "630000", clash).path("infcode").asText(), "9001 is in use");
        HisClient.ok(his.call("2302", "630000", cancel(mdtrtId, "9002")));
        BigDecimal total = TOTAL.add(new BigDecimal("9.00"));
        assertEquals(0, total.compareTo(billed(mdtrtId, total)));
    }

    @Test
    void linesAndKeptAnswersAreBytesAndRowsKeptAsTextBeforeStoreV16AreReadAsBefore() {
        String mdtrtId = admitted();
        ObjectNode upload = fees(mdtrtId, PSN);
        // one envelope, sent twice as a HIS repeats a request: built again, its inf_time could be a second later
        ObjectNode request = his.envelope("2301", node.msgid(his.hospital), "630000", upload);
        JsonNode first = HisClient.ok(his.send(request));
        assertEquals(1, count("SELECT COUNT(*) FROM fee_upload WHERE lines = '' AND lines_utf8 IS NOT NULL"),
                "the lines as bytes");
        assertEquals(0, count("SELECT COUNT(*) FROM his_message WHERE response_gz <> '' OR response_zip IS NULL"),
                "every kept answer as bytes");

        // the rows as the schema before V16 kept them: the lines as text, the answers as base64 text of their gzip
        node.store.inTransaction("as before V16", c -> {
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT msgid, part, lines_utf8 FROM fee_upload");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getInt(2), rs.getBytes(3)});
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE fee_upload SET lines = ?, lines_utf8 = NULL "
                    + "WHERE msgid = ? AND part = ?")) {
                for (Object[] row : rows) {
                    ps.setString(1, new String((byte[]) row[2], java.nio.charset.StandardCharsets.UTF_8));
                    ps.setString(2, (String) row[0]);
                    ps.setInt(3, (Integer) row[1]);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            List<Object[]> answers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT msgid, response_zip FROM his_message");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    answers.add(new Object[] {rs.getString(1), rs.getBytes(2)});
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE his_message SET response_gz = ?, response_zip = NULL "
                    + "WHERE msgid = ?")) {
                for (Object[] answer : answers) {
                    ps.setString(1, java.util.Base64.getEncoder().encodeToString((byte[]) answer[1]));
                    ps.setString(2, (String) answer[0]);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            return null;
        });
        assertEquals(0, count("SELECT COUNT(*) FROM fee_upload WHERE lines_utf8 IS NOT NULL"));

        assertEquals(first, HisClient.ok(his.send(request)),
                "a repeat gets the first answer, kept as text");
        ObjectNode twice = HisClient.object();
        line(twice, "0002", mdtrtId, "XB05AAA448A030869010040", "17.76", "10", "177.60");
        JsonNode refused = his.call("2301", "630000", twice);
        assertTrue(refused.path("err_msg").asText().contains("0002 was uploaded before"), refused.toString());
        HisClient.ok(his.call("2302", "630000", cancel(mdtrtId, "0004")));
        BigDecimal total = TOTAL.subtract(new BigDecimal("9.00"));
        assertEquals(0, total.compareTo(billed(mdtrtId, total)), "the bill read from the text");
    }

    @Test
    void twoUploadsOfOneSerialAtTheSameTimeStoreItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String mdtrtId = admitted();
                List<Callable<JsonNode>> both = new ArrayList<>();
                for (String amount : List.of("9.00", "18.00")) {
                    ObjectNode upload = HisClient.object();
                    line(upload, "0007", mdtrtId, "000141388808906", "0.90", amount.equals("9.00") ? "10" : "20",
                            amount);
                    both.add(() -> his.call("2301", "630000", upload));
                }
                List<String> codes = new ArrayList<>();
                for (Future<JsonNode> f : pool.invokeAll(both)) {
                    codes.add(f.get().path("infcode").asText());
                }
                assertEquals(List.of("-2", "0"), codes.stream().sorted().toList(), "round " + round + ": " + codes);
                assertEquals(1, count("SELECT COUNT(*) FROM fee_upload WHERE mdtrt_id = '" + mdtrtId + "'"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLineTheColumnsCouldNotKeepIsRefusedWithTheFieldNamed() {
        String mdtrtId = admitted();
        ObjectNode longCode = HisClient.object();
        line(longCode, "0001", mdtrtId, "000141388808906", "0.90", "10", "9.00").put("medins_list_codg", "H".repeat(61));
        JsonNode a = his.call("2301", "630000", longCode);
        assertEquals("-2", a.path("infcode").asText(), a.toString());
        assertTrue(a.path("err_msg").asText().contains("feedetail[0].medins_list_codg: at most 60 characters"),
                a.toString());
        ObjectNode fineCount = HisClient.object();
        line(fineCount, "0001", mdtrtId, "000141388808906", "0.90", "1.00001", "0.90");
        JsonNode b = his.call("2301", "630000", fineCount);
        assertTrue(b.path("err_msg").asText().contains("feedetail[0].cnt: at most 4 decimals"), b.toString());
        ObjectNode hugePrice = HisClient.object();
        line(hugePrice, "0001", mdtrtId, "000141388808906", "1000000000000", "1", "1000000000000.00");
        JsonNode c = his.call("2301", "630000", hugePrice);
        assertTrue(c.path("err_msg").asText().contains("feedetail[0].pric: at most 12 digits"), c.toString());
        assertEquals(0, count("SELECT COUNT(*) FROM fee_upload"));
    }
}
