package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.ClearingBook;
import org.medsettle.api.clearing.ClearingCase;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.clearing.internal.ClearingHubComponent;
import org.medsettle.clearing.internal.ClearingNode;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestStores;
import org.medsettle.tools.SequenceReplay;

/**
 * The monthly clearing end to end in one JVM: the 60 reference sequences settled through the HIS interface in
 * November by province nodes (one store each, for both roles, with the real ledger), some reversed in November and
 * some in December; an application lost at an insured node; then the real clearing — every node's side and the hub —
 * over an in-process hub directory that stands for the link (the link's own tests and the process tests carry these
 * messages over mutual TLS). Every province's statement is checked against sums this test makes of the settlements it
 * saw acknowledged.
 */
@org.junit.jupiter.api.Tag("database")
class MonthlyClearingTest {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        volatile Instant now;

        MovingClock(LocalDateTime china) {
            set(china);
        }

        void set(LocalDateTime china) {
            now = china.atZone(CHINA).toInstant();
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            MovingClock self = this;
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

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The hub's link to the nodes, in process: each message straight to the node's clearing, or refused if "down". */
    static final class InProcessHub implements HubDirectory {
        final Map<String, ClearingNode> nodes = new TreeMap<>();
        /** (province, message type) that cannot be delivered now. */
        volatile BiPredicate<String, String> down = (p, t) -> false;
        int asked;

        @Override
        public List<Node> nodes() {
            return nodes.keySet().stream().map(p -> new Node(Admdvs.of(p), URI.create("https://node-" + p + ":8443"),
                    "00".repeat(32), Instant.EPOCH)).toList();
        }

        @Override
        public String ask(Admdvs node, String type, String body) {
            asked++;
            if (down.test(node.code(), type)) {
                throw new LinkUnavailableException("the node of " + node + " cannot be reached (test)", null);
            }
            try {
                return nodes.get(node.code()).answer(new HubMessage("m" + asked, type, Admdvs.of("100000"), node, body));
            } catch (IllegalArgumentException e) {
                throw new LinkUnavailableException("the node of " + node + " answered HTTP 400: " + e.getMessage(), null);
            }
        }

        @Override
        public Node register(Admdvs admdvs, URI url, String certificate, Actor actor) {
            throw new IllegalArgumentException("this hub knows the nodes the test gives it, not " + admdvs);
        }

        @Override
        public boolean remove(Admdvs admdvs, Actor actor) {
            return nodes.remove(admdvs.code()) != null;
        }

        @Override
        public List<Traffic> traffic() {
            return List.of();
        }

        @Override
        public long indexSize() {
            return 0;
        }
    }

    /** A settlement or reversal the test saw acknowledged, with its fund amounts. */
    record Acknowledged(String treatment, String insured, String setlId, FundAmounts amounts) {
    }

    private final MovingClock clock = new MovingClock(LocalDateTime.of(2026, 11, 3, 9, 0));
    private final Network network = Network.ofProvinceNodes(clock);
    private final InProcessHub directory = new InProcessHub();
    private final StoreComponent hubStore = TestStores.fresh();
    private final Map<YearMonth, List<Acknowledged>> acknowledged = new HashMap<>();
    private int persons;

    @Test
    void aMonthIsClearedLineByLineWithStatementsThatSumToZeroAndItsDifferencesCarriedToTheNext() throws Exception {
        // November: every reference sequence settled; the newest settlement of every fourth sequence reversed in
        // November, of every fourth but one in December (across the month's end)
        List<SequenceReplay.Settled> reverseInDecember = new ArrayList<>();
        List<String[]> reverseInDecemberWho = new ArrayList<>();
        int index = 0;
        for (Path p : ConformanceThroughHisTest.sequences()) {
            JsonNode seq = SequenceReplay.read(p);
            String insured = seq.get("insured_admdvs").asText();
            String treatment = seq.get("treatment_admdvs").asText();
            String psnNo = settle(seq);
            List<SequenceReplay.Settled> settled = lastResult;
            SequenceReplay.Settled newest = settled.get(settled.size() - 1);
            if (index % 4 == 0) {
                reverse(newest, psnNo, treatment, insured, NOVEMBER);
            } else if (index % 4 == 1) {
                reverseInDecember.add(newest);
                reverseInDecemberWho.add(new String[] {psnNo, treatment, insured});
            }
            index++;
            clock.advance(Duration.ofMinutes(7));
        }
        assertTrue(YearMonth.from(LocalDateTime.ofInstant(clock.instant(), CHINA)).equals(NOVEMBER));

        // an application lost at the insured node of 630000 (its database restored from a backup, say): a settlement
        // of 330000 for a 630000 patient that the insured node never applied
        Acknowledged lost = acknowledged.get(NOVEMBER).stream()
                .filter(a -> a.treatment().equals("330000") && a.insured().equals("630000") && a.amounts().total() > 0)
                .findFirst().orElseThrow();
        forget(network.insured("630000").store, lost.setlId());

        for (String p : network.insured.keySet()) {
            nodeOf(p);
        }
        for (String p : network.treatment.keySet()) {
            nodeOf(p);
        }
        ClearingHubComponent hub = hub(7);

        // not before an hour after the month's end; not a month that has not ended
        clock.set(LocalDateTime.of(2026, 12, 1, 0, 30));
        assertThrows(IllegalArgumentException.class, () -> hub.start(NOVEMBER, Actor.console("finance")));
        assertThrows(IllegalArgumentException.class, () -> hub.start(DECEMBER, Actor.console("finance")));
        clock.set(LocalDateTime.of(2026, 12, 1, 2, 0));

        // December's reversals, before the clearing of November runs: they belong to December
        clock.set(LocalDateTime.of(2026, 12, 1, 1, 10));
        for (int i = 0; i < reverseInDecember.size(); i++) {
            String[] who = reverseInDecemberWho.get(i);
            reverse(reverseInDecember.get(i), who[0], who[1], who[2], DECEMBER);
        }
        clock.set(LocalDateTime.of(2026, 12, 1, 2, 0));

        // the node of 630000 cannot be reached while the reports are collected; the hub "restarts" in the middle
        directory.down = (p, t) -> p.equals("630000") || directory.asked > 12;
        ClearingHub.Run started = hub.start(NOVEMBER, Actor.console("finance"));
        assertEquals(ClearingHub.State.COLLECTING, started.state());
        assertEquals("CL202611", started.clearingId());
        hub.work();
        ClearingHub.Run collecting = hub.run(NOVEMBER).orElseThrow();
        assertEquals(ClearingHub.State.COLLECTING, collecting.state());
        assertTrue(collecting.sources().stream().anyMatch(s -> s.node().code().equals("630000")
                && s.lastError().contains("cannot be reached")), collecting.toString());
        assertThrows(IllegalStateException.class, () -> hub.start(NOVEMBER, Actor.console("finance")),
                "a month being cleared is not started again");

        // a new hub on the same database (a kill -9 and a start): it resumes; the node of 410000 misses its result
        ClearingHubComponent restarted = hub(7);
        directory.down = (p, t) -> p.equals("410000") && t.equals("CLEARING_CLOSE");
        restarted.work();
        ClearingHub.Run delivering = restarted.run(NOVEMBER).orElseThrow();
        assertEquals(ClearingHub.State.DELIVERING, delivering.state(), delivering.toString());
        assertTrue(network.treatment.containsKey("330000"));
        assertTrue(nodes.get("410000").statement(NOVEMBER).isEmpty(), "410000 has no result yet");
        directory.down = (p, t) -> false;
        restarted.work();
        ClearingHub.Run cleared = restarted.run(NOVEMBER).orElseThrow();
        assertEquals(ClearingHub.State.CLEARED, cleared.state(), cleared.toString());
        assertEquals(0, cleared.netSum());

        // every province's statement: what the test saw acknowledged in November, but the lost application
        List<Acknowledged> november = acknowledged.get(NOVEMBER).stream()
                .filter(a -> !a.setlId().equals(lost.setlId())).toList();
        long nets = 0;
        for (String province : provinces()) {
            ClearingStatement s = restarted.statement(Admdvs.of(province), NOVEMBER);
            assertStatement(province, november, s);
            nets += s.net();
            assertEquals(Optional.of(s), nodes.get(province).statement(NOVEMBER), province + ": the node has it");
        }
        assertEquals(0, nets, "the statements sum to zero");
        assertEquals(november.size(), cleared.clearedLines());

        // the lost application is a case, carried forward, not paid
        List<ClearingCase> cases = restarted.cases(NOVEMBER);
        assertEquals(1, cases.size(), cases.toString());
        ClearingCase c = cases.get(0);
        assertEquals(lost.setlId(), c.setlId());
        assertEquals(ClearingCase.Kind.NOT_APPLIED, c.kind());
        assertEquals(Movement.SETTLED, c.movement());
        assertEquals(Optional.of(lost.amounts()), c.claimed());
        assertEquals("CL202611", c.firstSeen());
        assertEquals(1, nodes.get("330000").carried(10).size());

        // the ledgers: 330000's claims on 630000 are now the lost one and December's reversals; 630000 owes
        // 330000 December's only; what November cleared moved to the clearing accounts; both consistent
        Network.TreatmentNode zhejiang = network.treatment("330000");
        long decemberOwed = acknowledged.get(DECEMBER).stream().filter(a -> a.treatment().equals("330000")
                && a.insured().equals("630000")).mapToLong(a -> a.amounts().total()).sum();
        long claims = zhejiang.ledger.balances("claim:630000:").stream().mapToLong(b -> b.fen()).sum();
        assertEquals(lost.amounts().total() + decemberOwed, claims, "what is still claimed of 630000");
        long owed = ledgers("630000").get(0).balances("owed:330000:").stream().mapToLong(b -> b.fen()).sum();
        assertEquals(decemberOwed, -owed, "630000 owes 330000 December's movements only");
        long novemberCleared = november.stream().filter(a -> a.treatment().equals("330000")
                && a.insured().equals("630000")).mapToLong(a -> a.amounts().total()).sum();
        assertEquals(List.of(new org.medsettle.api.ledger.Ledger.Balance("clearing:630000", novemberCleared, 1)),
                zhejiang.ledger.balances("clearing:630000"));
        verifyLedgers();

        // a month is cleared once, and in order
        assertThrows(IllegalStateException.class, () -> restarted.start(NOVEMBER, Actor.console("finance")));
        assertThrows(IllegalArgumentException.class, () -> restarted.start(YearMonth.of(2026, 10),
                Actor.console("finance")));

        // December: its reversals cleared (what the treatment provinces pay back), the November case carried again
        clock.set(LocalDateTime.of(2027, 1, 1, 2, 0));
        restarted.start(DECEMBER, Actor.console("finance"));
        restarted.work();
        ClearingHub.Run dec = restarted.run(DECEMBER).orElseThrow();
        assertEquals(ClearingHub.State.CLEARED, dec.state(), dec.toString());
        for (String province : provinces()) {
            assertStatement(province, acknowledged.get(DECEMBER), restarted.statement(Admdvs.of(province), DECEMBER));
        }
        List<ClearingCase> decemberCases = restarted.cases(DECEMBER);
        assertEquals(1, decemberCases.size(), decemberCases.toString());
        assertEquals(lost.setlId(), decemberCases.get(0).setlId());
        assertEquals("CL202611", decemberCases.get(0).firstSeen(), "the same case, carried");
        verifyLedgers();
        for (String p : provinces()) {
            assertTrue(ledgers(p).get(0).balances("owed:").stream().allMatch(b -> b.fen() == 0),
                    p + ": nothing owed after both clearings");
        }
        String svg = restarted.picture(DECEMBER);
        assertTrue(svg.startsWith("<?xml") && svg.contains("CL202612") && svg.contains("</svg>"));
    }

    private final Map<String, ClearingNode> nodes = new HashMap<>();
    private List<SequenceReplay.Settled> lastResult;

    private ClearingNode nodeOf(String province) {
        return nodes.computeIfAbsent(province, p -> {
            StoreComponent store = network.store(p);
            store.applyOwnSchema(ClearingNode.class.getClassLoader(), "db/clearing", "medsettle-clearing");
            ClearingNode node = ClearingNode.of(Admdvs.of(p), store, store, ledgers(p).get(0), clock);
            directory.nodes.put(p, node);
            return node;
        });
    }

    /** The ledger services on a province's store (its treatment node's and its insured node's). */
    private List<org.medsettle.ledger.internal.LedgerService> ledgers(String province) {
        List<org.medsettle.ledger.internal.LedgerService> list = new ArrayList<>();
        if (network.treatment.containsKey(province)) {
            list.add(network.treatment.get(province).ledger);
        }
        if (network.insured.containsKey(province)) {
            list.add(network.insured.get(province).ledger);
        }
        return list;
    }

    private void verifyLedgers() {
        for (String p : provinces()) {
            for (var ledger : ledgers(p)) {
                assertEquals(List.of(), ledger.verify().problems(), p);
            }
        }
    }

    private ClearingHubComponent hub(int pageLines) {
        hubStore.applyOwnSchema(ClearingNode.class.getClassLoader(), "db/clearing", "medsettle-clearing");
        return ClearingHubComponent.forTests(hubStore, hubStore, directory, clock, Duration.ofMinutes(60), pageLines);
    }

    private Set<String> provinces() {
        Set<String> all = new TreeSet<>(network.insured.keySet());
        all.addAll(network.treatment.keySet());
        return all;
    }

    private void assertStatement(String province, List<Acknowledged> lines, ClearingStatement s) {
        Map<String, FundAmounts> receives = new TreeMap<>();
        Map<String, FundAmounts> pays = new TreeMap<>();
        for (Acknowledged a : lines) {
            if (a.treatment().equals(province)) {
                receives.merge(a.insured(), a.amounts(), FundAmounts::plus);
            }
            if (a.insured().equals(province)) {
                pays.merge(a.treatment(), a.amounts(), FundAmounts::plus);
            }
        }
        Set<String> counterparts = new TreeSet<>(receives.keySet());
        counterparts.addAll(pays.keySet());
        Map<String, ClearingStatement.Position> byCounterpart = new TreeMap<>();
        s.positions().forEach(p -> byCounterpart.put(p.counterpart().code(), p));
        assertEquals(counterparts, byCounterpart.keySet(), province + ": counterparts");
        for (String q : counterparts) {
            ClearingStatement.Position p = byCounterpart.get(q);
            assertEquals(receives.getOrDefault(q, FundAmounts.ZERO), p.receives(), province + " receives from " + q);
            assertEquals(pays.getOrDefault(q, FundAmounts.ZERO), p.pays(), province + " pays " + q);
        }
    }

    /** Settles a sequence's visits (the clock a minute on per call); answers the patient's psn_no. */
    private String settle(JsonNode seq) throws IOException {
        String insured = seq.get("insured_admdvs").asText();
        String treatment = seq.get("treatment_admdvs").asText();
        persons++;
        String psnNo = insured.substring(0, 2) + String.format("%018d", persons);
        Network.InsuredNode home = network.insured(insured);
        home.importPersons("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + SequenceReplay.personCsvLine(seq, psnNo, SequenceReplay.certno(insured, persons)) + "\n");
        JsonNode f = SequenceReplay.filing(seq, psnNo);
        home.filings.file(new FilingRequest(psnNo, FilingCategory.valueOf(f.get("category").asText()),
                Admdvs.of(f.get("mdtrtarea_admvs").asText()), LocalDate.parse(f.get("valid_from").asText()),
                Optional.ofNullable(f.get("valid_to")).map(v -> LocalDate.parse(v.asText())), f.get("evidence").asText(),
                ""), Actor.console("agency"), "conformance");
        Network.TreatmentNode node = network.treatment(treatment);
        Map<Integer, HisClient> hospitals = Map.of(1, new HisClient(node, node.hospital(1)),
                2, new HisClient(node, node.hospital(2)), 3, new HisClient(node, node.hospital(3)));
        SequenceReplay.Result result = SequenceReplay.replay(seq, psnNo, hospitals, true);
        if (!result.differences().isEmpty()) {
            fail(String.join("\n", result.differences()));
        }
        for (SequenceReplay.Settled s : result.settled()) {
            add(NOVEMBER, treatment, insured, s.setlId(), s.setlinfo());
        }
        lastResult = result.settled();
        return psnNo;
    }

    private void reverse(SequenceReplay.Settled s, String psnNo, String treatment, String insured, YearMonth month) {
        JsonNode reversal = SequenceReplay.reverse(s, psnNo, insured);
        add(month, treatment, insured, reversal.path("setl_id").asText(), reversal);
        clock.advance(Duration.ofSeconds(30));
    }

    private void add(YearMonth month, String treatment, String insured, String setlId, JsonNode setlinfo) {
        long[] fen = new long[8];
        for (int i = 0; i < 8; i++) {
            fen[i] = Money.ofYuan(setlinfo.path(FundAmounts.FUNDS.get(i) + "_pay").decimalValue()).fen();
        }
        FundAmounts amounts = FundAmounts.of(fen);
        if (!amounts.isZero()) {
            acknowledged.computeIfAbsent(month, m -> new ArrayList<>()).add(new Acknowledged(treatment, insured, setlId,
                    amounts));
        }
    }

    /** The insured node loses an application: its row and its ledger entries (a restored backup). */
    private static void forget(StoreComponent store, String setlId) {
        store.inTransaction("forget an application", c -> {
            for (String sql : new String[] {
                    "DELETE FROM ledger_entry WHERE posting_id IN (SELECT posting_id FROM ledger_posting WHERE "
                            + "reference = ? AND kind IN ('APPLIED', 'UNDONE'))",
                    "DELETE FROM ledger_posting WHERE reference = ? AND kind IN ('APPLIED', 'UNDONE')",
                    "DELETE FROM insured_settlement WHERE setl_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, setlId);
                    assertTrue(ps.executeUpdate() > 0, sql);
                }
            }
            return null;
        });
    }
}
