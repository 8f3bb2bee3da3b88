package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.provisional.ProvisionalSettlements;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.store.Actor;
import org.medsettle.store.testing.TestStores;

/**
 * Degraded settlement (暂记结算) as a hospital's clerk and the two agencies meet it: while the insured province 630000
 * is announced down (or silent), a treatment node whose settings opt 630000 in settles from what it last knew of the
 * person, within the risk limit, says so in {@code warn_msg}, and applies the settlement there in order when it is
 * back — ending APPLIED with the accumulators exactly as if settled online, or as a review case when the insured
 * province computes otherwise; never twice, never changed for the hospital.
 */
@org.junit.jupiter.api.Tag("database")
class ProvisionalThroughHisTest {

    private static final String PSN = HisTransactionsTest.PSN;
    private static final Map<String, String> OPTED_IN = Map.of("admissionMaxAgeDays", "3650",
            "provisional.limit.630000", "20000.00/30000.00", "provisional.afterSeconds", "0");

    private Network network;
    private Network.InsuredNode home;
    private Network.TreatmentNode node;
    private HisClient his;
    private final Notices notices = new Notices();

    /** The windows the treatment node knows (of its maintenance bundle). */
    static final class Notices implements MaintenanceNotices {
        final List<Window> windows = new ArrayList<>();

        public Window announce(Instant from, Instant until, String reason, Actor actor) {
            throw new IllegalStateException("announced at the insured node");
        }

        public boolean cancel(long id, Actor actor) {
            return windows.removeIf(w -> w.id() == id);
        }

        public List<Window> windows() {
            return windows;
        }

        public Duration warning() {
            return Duration.ofHours(24);
        }

        void down() {
            Instant from = Instant.now().minus(Duration.ofMinutes(5));
            windows.add(new Window(1, Admdvs.of("630000"), from, from.plus(Duration.ofHours(2)), "系统升级",
                    Instant.now(), "admin"));
        }
    }

    /** A network of 630000 (persons, a filing for treatment in 330000) and a 330000 treatment node with {@code settings}. */
    private static Network network(Map<String, String> settings) {
        Network n = new Network();
        Network.InsuredNode h = n.insured("630000");
        h.importPersons(HisTransactionsTest.PERSONS);
        for (String psn : List.of(PSN, HisTransactionsTest.PSN2)) {
            h.filings.file(new FilingRequest(psn, FilingCategory.TEMPORARY, Admdvs.of("330000"), LocalDate.of(2026, 1, 1),
                    Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""), Actor.console("agency"), "test");
        }
        n.treatment("330000").his.modified(settings);
        return n;
    }

    @BeforeEach
    void setUp() {
        network = network(OPTED_IN);
        home = network.insured("630000");
        node = network.treatment("330000");
        node.his.setMaintenance(notices);
        his = new HisClient(node, node.hospital(3));
    }

    private static String admitted(HisClient client, String psn) {
        return HisClient.ok(client.call("2401", "630000", HisTransactionsTest.admission(psn))).path("result")
                .path("mdtrt_id").asText();
    }

    private static void billedAndDischarged(HisClient client, String mdtrtId, String psn) {
        HisClient.ok(client.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, psn)));
        HisClient.ok(client.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, psn)));
    }

    private static ObjectNode settlementWithoutAccount(String mdtrtId, String psn) {
        ObjectNode in = HisTransactionsTest.settlement(mdtrtId, psn, HisTransactionsTest.TOTAL);
        ((ObjectNode) in.path("data")).put("acct_used_flag", "0");
        return in;
    }

    /** The stays settled online one after another on a network of their own: the insured province's accumulators. */
    private static Accumulators online(int stays, String psn) {
        Network n = network(Map.of("admissionMaxAgeDays", "3650"));
        Network.TreatmentNode t = n.treatment("330000");
        HisClient c = new HisClient(t, t.hospital(3));
        for (int i = 0; i < stays; i++) {
            String mdtrtId = admitted(c, psn);
            billedAndDischarged(c, mdtrtId, psn);
            HisClient.ok(c.call("2304", "630000", settlementWithoutAccount(mdtrtId, psn)));
        }
        return n.insured("630000").place.accumulators(psn, 2026);
    }

    private JsonNode onlineSettlement(String psn) {
        Network n = network(Map.of("admissionMaxAgeDays", "3650"));
        Network.TreatmentNode t = n.treatment("330000");
        HisClient c = new HisClient(t, t.hospital(3));
        String mdtrtId = admitted(c, psn);
        billedAndDischarged(c, mdtrtId, psn);
        return HisClient.ok(c.call("2304", "630000", settlementWithoutAccount(mdtrtId, psn)));
    }

    private List<ProvisionalSettlements.Entry> queue() {
        return node.his.list(Optional.empty(), Optional.empty(), 100);
    }

    @Test
    void whileTheInsuredProvinceIsAnnouncedDownTheStayIsSettledProvisionallyAndAppliedOnceWhenItIsBack() {
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        notices.down();
        int asked = home.coverageAsked.get();
        JsonNode answer = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        String warn = answer.path("warn_msg").asText();
        assertTrue(warn.contains("PROVISIONAL SETTLEMENT (暂记结算)") && warn.contains("down for maintenance")
                && warn.contains("without the personal account"), warn);
        assertEquals(asked, home.coverageAsked.get(), "the insured province was not asked");
        JsonNode setlinfo = answer.path("output").path("setlinfo");
        // the same amounts as online without the account (the snapshot is the insured province's state at admission)
        JsonNode online = onlineSettlement(PSN).path("setlinfo");
        for (String f : List.of("fund_pay_sumamt", "hifp_pay", "psn_cash_pay", "acct_pay", "act_pay_dedc")) {
            assertEquals(online.path(f).decimalValue(), setlinfo.path(f).decimalValue(), f);
        }
        assertEquals(List.of("QUEUED"), queue().stream().map(ProvisionalSettlements.Entry::state).toList());
        String health = node.his.check().detail();
        assertTrue(node.his.check().ok() && health.startsWith("for 630000; 630000: 1 waiting to be applied since "), health);
        // a repeat of the msgid is answered as the first time, nothing queued twice
        Accumulators before = home.place.accumulators(PSN, 2026);

        // still announced down: nothing is sent
        assertEquals(new ProvisionalThroughHisTest.Round(0, 0, 1), round(node.his.applyQueued()));
        assertEquals(before, home.place.accumulators(PSN, 2026));

        notices.windows.clear();
        assertEquals(new Round(1, 0, 0), round(node.his.applyQueued()));
        assertEquals(online(1, PSN), home.place.accumulators(PSN, 2026), "the accumulators as if settled online");
        ProvisionalSettlements.Entry e = queue().get(0);
        assertEquals("APPLIED", e.state());
        assertTrue(e.appliedAt().isPresent());
        assertEquals("", e.caseReason());
        // applied once: another round changes nothing
        assertEquals(new Round(0, 0, 0), round(node.his.applyQueued()));
        assertEquals(online(1, PSN), home.place.accumulators(PSN, 2026));
        // the settlement notice went with it, the settlement is what the hospital was told
        assertTrue(outbox().contains("CONFIRM-" + setlinfo.path("setl_id").asText()), outbox().toString());
    }

    @Test
    void theQueueIsAppliedOnItsOwnEveryApplySecondsAndANewPeriodTakesEffectWithoutARestart() {
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        notices.down();
        HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL)));
        notices.windows.clear();
        // the node's own rounds at the shipped period (10 s), then the period changed as etc/ is edited: 1 s
        node.his.startHousekeeping();
        try {
            Map<String, String> everySecond = new HashMap<>(OPTED_IN);
            everySecond.put("provisional.applySeconds", "1");
            node.his.modified(everySecond);
            long start = System.nanoTime();
            org.awaitility.Awaitility.await("applied by the node's own round").atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "APPLIED".equals(queue().get(0).state()));
            System.out.println("[measure] applied by the node's own round after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms at provisional.applySeconds = 1");
            assertEquals(online(1, PSN), home.place.accumulators(PSN, 2026), "applied once, as if settled online");
        } finally {
            node.his.deactivate();
        }
    }

    /** A round's counts. */
    record Round(int applied, int cases, int waiting) {
    }

    private static Round round(ProvisionalApplier.Round r) {
        return new Round(r.applied(), r.cases(), r.waiting());
    }

    private List<String> outbox() {
        return node.store.inTransaction("read the outbox", c -> {
            List<String> ids = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT msg_id FROM link_outbox"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    @Test
    void twoProvisionalStaysOfOnePersonBuildOnEachOtherAndAreAppliedInOrder() {
        String first = admitted(his, PSN);
        String second = admitted(his, PSN);
        billedAndDischarged(his, first, PSN);
        billedAndDischarged(his, second, PSN);
        notices.down();
        HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(first, PSN, HisTransactionsTest.TOTAL)));
        // the second is admitted on the same day: the snapshot (with the first's change added) serves it
        JsonNode two = his.call("2304", "630000", HisTransactionsTest.settlement(second, PSN, HisTransactionsTest.TOTAL));
        assertEquals("0", two.path("infcode").asText(), two.toString());
        notices.windows.clear();
        assertEquals(new Round(2, 0, 0), round(node.his.applyQueued()));
        assertEquals(online(2, PSN), home.place.accumulators(PSN, 2026));
    }

    @Test
    void aSettlementElsewhereMeanwhileMakesAReviewCaseAndTheAccumulatorsFollowTheRules() {
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        notices.down();
        JsonNode told = HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL)));
        // meanwhile another node (which does not see the window) settles a stay of the same person online
        Network.TreatmentNode elsewhere = new Network.TreatmentNode("330000", network, TestStores.fresh());
        // its numbers apart from the first node's (one node per province serves it in production)
        for (int i = 0; i < 50; i++) {
            elsewhere.store.nextId("setl_id");
            elsewhere.store.nextId("mdtrt_id");
        }
        HisClient other = new HisClient(elsewhere, elsewhere.hospital(3));
        String otherStay = admitted(other, PSN);
        billedAndDischarged(other, otherStay, PSN);
        HisClient.ok(other.call("2304", "630000", settlementWithoutAccount(otherStay, PSN)));

        notices.windows.clear();
        assertEquals(new Round(0, 1, 0), round(node.his.applyQueued()));
        ProvisionalSettlements.Entry e = queue().get(0);
        assertEquals("CASE", e.state());
        assertTrue(e.caseReason().contains("differs from what the hospital was told") && e.caseReason().contains("hifp_pay"),
                e.caseReason());
        assertTrue(e.caseClosed().isEmpty());
        // accumulators: both stays in the order applied there, as the rules say
        assertEquals(online(2, PSN), home.place.accumulators(PSN, 2026));
        // the hospital's settlement is unchanged (5203)
        JsonNode q = HisClient.ok(his.call("5203", "630000", HisTransactionsTest.query(told.path("setlinfo")
                .path("setl_id").asText(), mdtrtId)));
        assertEquals(told.path("setlinfo").path("fund_pay_sumamt").decimalValue(),
                q.path("setlinfo").path("fund_pay_sumamt").decimalValue());

        // the insured agency's side is told, by the outbox, in the case's own transaction
        assertTrue(outbox().contains("PCASE-" + e.setlId()), outbox().toString());
        assertFalse(node.his.closeCase("nosuch", "x", Actor.console("admin")));
        assertTrue(node.his.check().detail().endsWith("; 1 open review case(s) (medsettle:provisional-list --state CASE)"),
                node.his.check().detail());
        assertTrue(node.his.closeCase(e.setlId(), "差额由参保地补付医院", Actor.console("admin")));
        assertFalse(node.his.closeCase(e.setlId(), "again", Actor.console("admin")), "closed once");
        assertTrue(queue().get(0).caseClosed().orElseThrow().contains("差额由参保地补付医院"));
        assertTrue(outbox().contains("PCLOSED-" + e.setlId()), outbox().toString());
    }

    @Test
    void aSilentInsuredProvinceCountsAsDownAfterTheSetTimeAndTheQueueWaitsForIt() {
        node.his.modified(Map.of("admissionMaxAgeDays", "3650", "provisional.limit.630000", "20000.00/30000.00",
                "provisional.afterSeconds", "3600"));
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        home.down = true;
        JsonNode notYet = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("-1", notYet.path("infcode").asText(), notYet.toString());
        assertTrue(queue().isEmpty());
        node.his.modified(OPTED_IN);
        JsonNode answer = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        assertTrue(answer.path("warn_msg").asText().contains("has not answered since"), answer.toString());
        assertEquals(new Round(0, 0, 1), round(node.his.applyQueued()));
        assertEquals(1, queue().get(0).attempts(), "the failed attempt is counted");
        home.down = false;
        assertEquals(new Round(1, 0, 0), round(node.his.applyQueued()));
    }

    @Test
    void aSettlementSentButNotAnsweredIsSentAgainAndAppliedOnce() {
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        notices.down();
        HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL)));
        notices.windows.clear();
        // the coverage is read, then the link fails before the apply answers: left APPLYING
        home.applyDown = true;
        assertEquals(new Round(0, 0, 1), round(node.his.applyQueued()));
        assertEquals("APPLYING", queue().get(0).state());
        home.applyDown = false;
        assertEquals(new Round(1, 0, 0), round(node.his.applyQueued()));
        assertEquals(online(1, PSN), home.place.accumulators(PSN, 2026));
    }

    /**
     * Two instances of the node on one database (issue 13's scale-out): while one instance's commit of a provisional
     * settlement is open, the other's waits for it and then counts it — so together they never pass the total (on
     * PostgreSQL, whose readers do not wait for writers, the other would otherwise commit beside it).
     */
    @Test
    void twoInstancesSharingADatabaseKeepTheTotalRiskLimitTogether() throws Exception {
        Map<String, String> limit = Map.of("admissionMaxAgeDays", "3650", "provisional.limit.630000",
                "9000.00/12000.00", "provisional.afterSeconds", "0");
        node.his.modified(limit);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<JsonNode>> other =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Runnable> whileOpen = new java.util.concurrent.atomic.AtomicReference<>();
        Network.TreatmentNode second = new Network.TreatmentNode("330000", network, node.store,
                db -> new org.medsettle.api.store.Transactor() {
                    @Override
                    public <T> T inTransaction(String what, Work<T> unit) {
                        if (!what.startsWith("commit provisional settlement")) {
                            return db.inTransaction(what, unit);
                        }
                        return db.inTransaction(what, c -> {
                            T result = unit.run(c);
                            Runnable r = whileOpen.getAndSet(null);
                            if (r != null) {
                                r.run();
                            }
                            return result;
                        });
                    }

                    @Override
                    public long nextId(String sequence) {
                        return db.nextId(sequence);
                    }
                });
        second.his.modified(limit);
        second.his.setMaintenance(notices);
        HisClient secondClerk = new HisClient(second, second.hospital(2));
        // both stays admitted and discharged while 630000 answers (what is known of both persons is kept), then it is
        // announced down
        String first = admitted(secondClerk, PSN);
        billedAndDischarged(secondClerk, first, PSN);
        String next = admitted(his, HisTransactionsTest.PSN2);
        billedAndDischarged(his, next, HisTransactionsTest.PSN2);
        notices.down();
        // the second instance's commit held open while the first instance settles: it must wait (2 s at most here)
        whileOpen.set(() -> {
            other.set(pool.submit(() -> his.call("2304", "630000", HisTransactionsTest.settlement(next,
                    HisTransactionsTest.PSN2, HisTransactionsTest.TOTAL))));
            try {
                other.get().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException waiting) {
                // waiting for this commit, as it must
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            JsonNode one = secondClerk.call("2304", "630000", HisTransactionsTest.settlement(first, PSN,
                    HisTransactionsTest.TOTAL));
            assertEquals("0", one.path("infcode").asText(), one.toString());
            // the window's notice says what this node does while it is open
            String warn = one.path("warn_msg").asText();
            assertTrue(warn.contains("settlements for its insured persons are made provisionally (暂记结算), within its "
                    + "risk limit, until then") && !warn.contains("refused"), warn);
            JsonNode two = other.get().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("-1", two.path("infcode").asText(), two.toString());
            assertTrue(two.path("err_msg").asText().contains("(limit 12000.00)"), two.toString());
            assertEquals(1, queue().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRiskLimitsAreKeptAndAProvinceThatDidNotOptInIsNotSettledProvisionally() {
        node.his.modified(Map.of("admissionMaxAgeDays", "3650", "provisional.limit.630000", "1000.00/30000.00",
                "provisional.afterSeconds", "0"));
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        notices.down();
        JsonNode over = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals("-1", over.path("infcode").asText(), over.toString());
        assertTrue(over.path("err_msg").asText().contains("above the 1000.00"), over.toString());
        // the pre-settlement tells the clerk beforehand
        JsonNode pre = his.call("2303", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL));
        assertEquals("0", pre.path("infcode").asText(), pre.toString());
        assertTrue(pre.path("warn_msg").asText().contains("PROVISIONAL ESTIMATE")
                && pre.path("warn_msg").asText().contains("cannot be settled until"), pre.toString());

        // the total: the first fits, the second would pass it
        node.his.modified(Map.of("admissionMaxAgeDays", "3650", "provisional.limit.630000", "9000.00/12000.00",
                "provisional.afterSeconds", "0"));
        notices.windows.clear();
        String other = admitted(his, HisTransactionsTest.PSN2);
        billedAndDischarged(his, other, HisTransactionsTest.PSN2);
        notices.down();
        HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL)));
        JsonNode total = his.call("2304", "630000", HisTransactionsTest.settlement(other, HisTransactionsTest.PSN2,
                HisTransactionsTest.TOTAL));
        assertEquals("-1", total.path("infcode").asText(), total.toString());
        assertTrue(total.path("err_msg").asText().contains("(limit 12000.00)"), total.toString());
        assertEquals(1, queue().size());
        Map<String, ProvisionalSettlements.Limit> limits = node.his.limits();
        assertEquals(queue().get(0).fundPay(), limits.get("630000").outstanding());

        // switched off: as before provisional settlement (-1 at once, saying until when)
        node.his.modified(Map.of("admissionMaxAgeDays", "3650"));
        JsonNode off = his.call("2304", "630000", HisTransactionsTest.settlement(other, HisTransactionsTest.PSN2,
                HisTransactionsTest.TOTAL));
        assertEquals("-1", off.path("infcode").asText(), off.toString());
        assertTrue(off.path("err_msg").asText().contains("停机维护"), off.toString());
    }

    @Test
    void aProvisionalSettlementIsReversedOnlyOnceApplied() {
        String mdtrtId = admitted(his, PSN);
        billedAndDischarged(his, mdtrtId, PSN);
        notices.down();
        String setlId = HisClient.ok(his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, PSN,
                HisTransactionsTest.TOTAL))).path("setlinfo").path("setl_id").asText();
        notices.windows.clear();
        home.down = true;
        JsonNode refused = his.call("2305", "630000", HisTransactionsTest.reversal(setlId, mdtrtId, PSN));
        assertEquals("-1", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("not applied there yet"), refused.toString());
        home.down = false;
        node.his.applyQueued();
        HisClient.ok(his.call("2305", "630000", HisTransactionsTest.reversal(setlId, mdtrtId, PSN)));
        assertEquals("UNDONE", home.place.settlements(PSN, 10).stream().filter(a -> a.setlId().equals(setlId))
                .findFirst().orElseThrow().state(), "taken back there");
    }

    @Test
    void wrongSettingsAreSaidAndLeaveTheProvinceOff() {
        List<String> said = new ArrayList<>();
        Map<String, Object> settings = new HashMap<>();
        settings.put("provisional.limit.630000", "lots");
        settings.put("provisional.limit.63", "1/2");
        settings.put("provisional.limit.130000", "500.00/100.00");
        settings.put("provisional.limit.410000", "500.00/ 2000");
        settings.put("provisional.afterSeconds", "-3");
        settings.put("provisional.applySeconds", "0");
        Provisional.Settings s = Provisional.Settings.of(settings, said::add);
        assertEquals(Map.of("410000", new Provisional.Limit(org.medsettle.api.Money.ofYuan(new BigDecimal("500.00")),
                org.medsettle.api.Money.ofYuan(new BigDecimal("2000")))), s.limits());
        assertEquals(Duration.ofSeconds(60), s.after());
        assertEquals(Duration.ofSeconds(10), s.apply(), "the shipped period when the setting is wrong");
        assertEquals(5, said.size(), said.toString());
        assertTrue(said.contains("provisional.applySeconds = '0' is not a whole number from 1 to 3600; 10 is used"),
                said.toString());
        assertEquals(Duration.ofSeconds(90), Provisional.Settings.of(Map.of("provisional.applySeconds", " 90"),
                said::add).apply());
    }
}
