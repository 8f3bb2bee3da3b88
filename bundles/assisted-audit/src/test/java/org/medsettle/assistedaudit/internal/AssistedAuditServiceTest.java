package org.medsettle.assistedaudit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.store.Actor;
import org.medsettle.api.supervision.AssistedAudits;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.AtOnce;
import org.medsettle.store.testing.RecordingLink;
import org.medsettle.store.testing.TestStores;

/**
 * Assisted audits between an insured node and a treatment node, each on its own real (Derby) store with the rows
 * their settlement bundles write; the notices each commits are delivered by the test in order, as the outbox does
 * (the process tests carry them through the hub).
 */
@org.junit.jupiter.api.Tag("database")
class AssistedAuditServiceTest {

    private static final Admdvs QH = Admdvs.of("630000");
    private static final Admdvs ZJ = Admdvs.of("330000");

    /** A clock the test moves. */
    static final class Moving extends Clock {
        volatile Instant now = Instant.parse("2026-11-20T02:00:00Z");

        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            Moving self = this;
            return new Clock() {
                public ZoneId getZone() {
                    return zone;
                }

                public Clock withZone(ZoneId z) {
                    return self.withZone(z);
                }

                public Instant instant() {
                    return self.now;
                }
            };
        }

        public Instant instant() {
            return now;
        }
    }

    static final class Node {
        final StoreComponent store = TestStores.fresh(TestStores.OwnSchema.of(AssistedAuditService.class,
                "db/assisted-audit", "medsettle-assisted-audit"));
        final RecordingLink outbox = new RecordingLink();
        final AssistedAuditService audits;

        Node(Admdvs self, Clock clock) {
            audits = AssistedAuditService.of(self, store, store, outbox, clock);
        }

        int deliverTo(Node other) {
            int n = outbox.notices.size();
            outbox.notices.forEach(m -> other.audits.answer(m));
            outbox.notices.clear();
            return n;
        }
    }

    private final Moving clock = new Moving();
    private final Node qinghai = new Node(QH, clock);
    private final Node zhejiang = new Node(ZJ, clock);

    private void applied(String setlId, String medType, String yuan, String state) {
        qinghai.store.inTransaction("applied", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_settlement (setl_id, psn_no, mdtrt_id, "
                    + "mdtrtarea_admvs, fixmedins_code, med_type, setl_time, setl_year, state, change_data, "
                    + "medfee_sumamt, fund_pay_sumamt, hifp_pay, hifmi_pay, hifob_pay, maf_pay, acct_pay, psn_cash_pay, "
                    + "applied_at) VALUES (?, 'P1', ?, '330100', 'H33010000003', ?, ?, 2026, ?, '{}', ?, 0, 0, 0, 0, 0, "
                    + "0, 0, ?)")) {
                ps.setString(1, setlId);
                ps.setString(2, "M" + setlId);
                ps.setString(3, medType);
                ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2026, 11, 10, 9, 0)));
                ps.setString(5, state);
                ps.setBigDecimal(6, new BigDecimal(yuan));
                ps.setTimestamp(7, Timestamp.from(clock.now));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void feeLines(String mdtrtId, int n) {
        zhejiang.store.inTransaction("fee lines", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fee_line (mdtrt_id, feedetl_sn, med_list_codg, "
                    + "medins_list_codg, fee_ocur_time, pric, cnt, det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, "
                    + "preselfpay_amt, inscp_scp_amt, chrgitm_lv, state, msgid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, "
                    + "'01', ?, 'm')")) {
                for (int i = 1; i <= n; i++) {
                    ps.setString(1, mdtrtId);
                    ps.setString(2, String.format("F%04d", i));
                    ps.setString(3, "XB05BBA250A938646502808");
                    ps.setString(4, "H-" + i);
                    ps.setTimestamp(5, Timestamp.valueOf(LocalDateTime.of(2026, 11, 3, 8, 0).plusHours(i)));
                    ps.setBigDecimal(6, new BigDecimal(i * 10));
                    ps.setBigDecimal(7, BigDecimal.ONE);
                    ps.setBigDecimal(8, new BigDecimal(i * 10).setScale(2));
                    ps.setString(9, i == 3 ? "CANCELLED" : "ACTIVE");
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Test
    void theInsuredNodeOpensACaseTheTreatmentNodeAnswersWithTheBillAndBothSeeIt() {
        applied("S1", "21", "45000.00", "CONFIRMED");
        feeLines("MS1", 5);
        AssistedAudits.Case opened = qinghai.audits.open("S1", "please send the drug lines", 15,
                Actor.console("agency"));
        assertEquals(AssistedAudits.State.OPEN, opened.state());
        assertEquals(java.time.LocalDate.of(2026, 12, 5), opened.deadline());
        assertEquals("330000", opened.treatment());
        assertEquals(1, qinghai.deliverTo(zhejiang));
        assertEquals(List.of(opened.caseId()), zhejiang.audits.cases(true, 200).stream().map(AssistedAudits.Case::caseId).toList());

        assertThrows(IllegalArgumentException.class, () -> qinghai.audits.answer(opened.caseId(), "x",
                Actor.console("a")), "the insured node does not answer");
        AssistedAudits.Case answered = zhejiang.audits.answer(opened.caseId(), "the drugs were prescribed by the ward",
                Actor.console("supervisor"));
        assertEquals(List.of("F0005", "F0004", "F0002", "F0001"), answered.bill().stream()
                .map(AssistedAudits.BillLine::feedetlSn).toList(), "the active lines, the largest first");
        assertEquals("all 4 fee lines of visit MS1", answered.billNote());
        assertThrows(IllegalArgumentException.class, () -> zhejiang.audits.answer(opened.caseId(), "again",
                Actor.console("supervisor")), "answered once");
        assertEquals(1, zhejiang.deliverTo(qinghai));
        AssistedAudits.Case seen = qinghai.audits.get(opened.caseId()).orElseThrow();
        assertEquals(AssistedAudits.State.ANSWERED, seen.state());
        assertEquals(answered.bill(), seen.bill());
        assertEquals("the drugs were prescribed by the ward", seen.comment());
        // a repeated notice changes nothing
        qinghai.audits.answer(new HubMessage("x", AssistedAuditService.ANSWER, ZJ, QH,
                "{\"case_id\":\"" + opened.caseId() + "\",\"answered_at\":\"2026-11-21T00:00:00Z\",\"answered_by\":\"y\","
                        + "\"comment\":\"other\",\"bill\":[],\"bill_lines\":0,\"bill_note\":\"n\"}"));
        assertEquals("the drugs were prescribed by the ward", qinghai.audits.get(opened.caseId()).orElseThrow().comment());
    }

    @Test
    void aCaseOpenedOrAnsweredTwiceAtOnceThroughTwoInstancesIsOpenedAndAnsweredOnce() throws Exception {
        AssistedAuditService qinghaiB = AssistedAuditService.of(QH, qinghai.store, qinghai.store, qinghai.outbox, clock);
        AssistedAuditService zhejiangB = AssistedAuditService.of(ZJ, zhejiang.store, zhejiang.store, zhejiang.outbox,
                clock);
        for (int round = 0; round < 5; round++) {
            String setlId = "SX" + round;
            applied(setlId, "21", "45000.00", "CONFIRMED");
            feeLines("M" + setlId, 2);
            List<Object> opened = both(() -> qinghai.audits.open(setlId, "q", 15, Actor.console("a")),
                    () -> qinghaiB.open(setlId, "q", 15, Actor.console("b")));
            List<AssistedAudits.Case> cases = opened.stream().filter(AssistedAudits.Case.class::isInstance)
                    .map(AssistedAudits.Case.class::cast).toList();
            assertEquals(1, cases.size(), "round " + round + ": " + opened);
            assertTrue(opened.stream().anyMatch(o -> o instanceof IllegalArgumentException e
                    && e.getMessage().startsWith("settlement " + setlId + " has its case already")), opened.toString());
            qinghai.deliverTo(zhejiang);
            qinghai.outbox.notices.clear();
            String caseId = cases.get(0).caseId();
            List<Object> answered = both(() -> zhejiang.audits.answer(caseId, "one", Actor.console("a")),
                    () -> zhejiangB.answer(caseId, "two", Actor.console("b")));
            assertEquals(1, answered.stream().filter(AssistedAudits.Case.class::isInstance).count(),
                    "round " + round + ": " + answered);
            assertTrue(answered.stream().anyMatch(o -> o instanceof IllegalArgumentException e
                    && e.getMessage().startsWith("case " + caseId + " was answered already")), answered.toString());
            assertEquals(1, zhejiang.outbox.notices.size(), "one answer sent");
            zhejiang.outbox.notices.clear();
        }
    }

    /** Runs both at once; each one's result, or the IllegalArgumentException it refused with. */
    private static List<Object> both(java.util.function.Supplier<Object> a, java.util.function.Supplier<Object> b)
            throws Exception {
        List<java.util.concurrent.Callable<Object>> two = new java.util.ArrayList<>();
        for (java.util.function.Supplier<Object> s : List.of(a, b)) {
            two.add(() -> {
                try {
                    return s.get();
                } catch (IllegalArgumentException e) {
                    return e;
                }
            });
        }
        return AtOnce.run(two);
    }

    @Test
    void onlyLargeInpatientStaysAppliedHereAreAuditedOnceWithADeadlineOfOneToSixtyDays() {
        applied("OUT", "11", "45000.00", "CONFIRMED");
        applied("SMALL", "21", "30000.00", "CONFIRMED");
        applied("REV", "21", "45000.00", "UNDONE");
        applied("S2", "21", "30000.01", "APPLIED");
        Actor a = Actor.console("agency");
        for (String bad : new String[] {"NONE", "OUT", "SMALL", "REV", "bad id!"}) {
            assertThrows(IllegalArgumentException.class, () -> qinghai.audits.open(bad, "q", 15, a), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> qinghai.audits.open("S2", " ", 15, a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.audits.open("S2", "q", 0, a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.audits.open("S2", "q", 61, a));
        assertEquals("question: U+001B (a control character) at character 2; text may hold only characters meant to be "
                + "read, on one line", assertThrows(IllegalArgumentException.class,
                () -> qinghai.audits.open("S2", "q\u001b[2J", 15, a)).getMessage());
        assertEquals(List.of(), qinghai.audits.cases(false, 200), "nothing opened");
        qinghai.audits.open("S2", "q", 1, a);
        assertThrows(IllegalArgumentException.class, () -> qinghai.audits.open("S2", "q", 5, a), "once");
        assertEquals(1, qinghai.outbox.notices.size());
    }

    @Test
    void aCaseOpenAfterItsDeadlineIsOverdueInHealthAtBothNodes() {
        applied("S3", "21", "60000.00", "CONFIRMED");
        AssistedAudits.Case k = qinghai.audits.open("S3", "q", 2, Actor.console("agency"));
        qinghai.deliverTo(zhejiang);
        assertTrue(qinghai.audits.check().detail().contains("1 case(s) open, none overdue"));
        clock.now = clock.now.plus(Duration.ofDays(3));
        assertTrue(qinghai.audits.check().detail().contains("1 OVERDUE, the oldest deadlines first: " + k.caseId()), qinghai.audits.check().detail());
        assertTrue(zhejiang.audits.check().detail().contains("to answer for 630000"), zhejiang.audits.check().detail());
        assertTrue(qinghai.audits.check().ok(), "the agencies' matter, not the node's health");
    }

    @Test
    void aBillLineFromAnotherNodeWithANumberTooLargeOrTooFineToShowIsNotTaken() {
        assertEquals(0, new java.math.BigDecimal("1000").compareTo(AssistedAuditService.line(
                "0001|XB1|H1|2026-03-11T10:00|1E+3|1|1000.00|01").pric()));
        for (String n : java.util.List.of("1e99999999", "1e-99999999")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> AssistedAuditService.line("0001|XB1|H1|2026-03-11T10:00|" + n + "|1|1.00|01"));
            assertTrue(e.getMessage().startsWith("not a bill line"), e.getMessage());
        }
    }
}
