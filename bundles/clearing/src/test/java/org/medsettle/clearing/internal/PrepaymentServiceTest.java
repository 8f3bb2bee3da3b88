package org.medsettle.clearing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Prepayments;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.store.Actor;
import org.medsettle.ledger.internal.LedgerService;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.RecordingLink;
import org.medsettle.store.testing.TestStores;

/**
 * Prepayments between two nodes, each on its own real (Derby) store and ledger: recorded at either, known to both
 * under one id; the treatment node's usage watched with warnings exactly once per crossing. The link between them is
 * the notices each node commits (delivered here by the test, in order, as the outbox delivers them; the link's own
 * tests and the process tests carry them over mutual TLS).
 */
@org.junit.jupiter.api.Tag("database")
class PrepaymentServiceTest {

    private static final Admdvs ZJ = Admdvs.of("330000");
    private static final Admdvs QH = Admdvs.of("630000");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T02:00:00Z"), ZoneOffset.UTC);

    static final class Node {
        final StoreComponent store = TestStores.fresh(
                TestStores.OwnSchema.of(LedgerService.class, "db/ledger", "medsettle-ledger"),
                TestStores.OwnSchema.of(ClearingNode.class, "db/clearing", "medsettle-clearing"));
        final LedgerService ledger;
        final RecordingLink outbox = new RecordingLink();
        final PrepaymentService prepayments;

        Node(Admdvs self) {
            ledger = new LedgerService(store, CLOCK);
            prepayments = new PrepaymentService(self, store, store, ledger, outbox, CLOCK, 70, 90);
        }

        /** Delivers this node's notices to {@code other}; answers how many. */
        int deliverTo(Node other) {
            int n = outbox.notices.size();
            outbox.notices.forEach(m -> other.prepayments.answer(m));
            outbox.notices.clear();
            return n;
        }

        /** A settlement of an insured of {@code insured} committed here: its claim posted as the node posts it. */
        void claim(String setlId, Admdvs insured, long yuan) {
            store.inTransaction("claim", c -> {
                ledger.post(c, new Posting(Posting.SETTLED, setlId, List.of(new Posting.Entry("claim:" + insured.code()
                        + ":hifp", yuan * 100), new Posting.Entry("hospital:H33", -yuan * 100))));
                return null;
            });
        }
    }

    private final Node zhejiang = new Node(ZJ);
    private final Node qinghai = new Node(QH);

    @Test
    void aPrepaymentRecordedAtEitherNodeIsKnownToBothOnceWithItsLedgerPostings() {
        Prepayments.Prepayment p = qinghai.prepayments.record(QH, ZJ, Money.ofYuan("1000.00").fen(), 2026,
                "transfer 2026-001", Actor.console("finance"));
        assertEquals(1, qinghai.deliverTo(zhejiang));
        Prepayments.Prepayment q = zhejiang.prepayments.record(QH, ZJ, Money.ofYuan("500.00").fen(), 2026,
                "transfer 2026-002", Actor.console("finance"));
        assertEquals(1, zhejiang.deliverTo(qinghai));
        // a repeated notice changes nothing
        qinghai.prepayments.answer(new HubMessage(q.id(), PrepaymentService.RECORD, ZJ, QH,
                ClearingMessages.write(PrepaymentService.RecordMessage.of(q))));
        // both recorded at the same (fixed) instant: the same order at both nodes, whatever the database
        List<String> both = zhejiang.prepayments.history().stream().map(Prepayments.Prepayment::id).toList();
        assertEquals(java.util.Set.of(q.id(), p.id()), java.util.Set.copyOf(both));
        assertEquals(2, both.size());
        assertEquals(both, qinghai.prepayments.history().stream().map(Prepayments.Prepayment::id).toList());
        assertEquals(List.of(new Ledger.Balance("prepaid:630000", -150_000, 2)), zhejiang.ledger.balances("prepaid:"));
        assertEquals(List.of(new Ledger.Balance("prepaid:330000", 150_000, 2)), qinghai.ledger.balances("prepaid:"));
        assertEquals(List.of(), zhejiang.ledger.verify().problems());
        assertEquals(150_000, zhejiang.prepayments.standings().get(0).prepaidFen());
    }

    @Test
    void badPrepaymentsAreRefusedNamingWhatIsWrong() {
        Actor a = Actor.console("finance");
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, QH, 100, 2026, "r", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(ZJ, Admdvs.of("110000"), 100,
                2026, "r", a), "neither side this node's");
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ, 0, 2026, "r", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ, 100, 2026,
                "ref\u001b[8m", a), "text that is not one line of readable characters");
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ, -5, 2026, "r", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ,
                PrepaymentService.MAX_FEN + 1, 2026, "r", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ, 100, 2025, "r", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ, 100, 2028, "r", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, ZJ, 100, 2026, " ", a));
        assertThrows(IllegalArgumentException.class, () -> qinghai.prepayments.record(QH, Admdvs.of("999999"), 100,
                2026, "r", a));
        assertEquals(List.of(), qinghai.prepayments.history(), "nothing recorded");
        assertTrue(qinghai.outbox.notices.isEmpty());
        // a notice from a province the prepayment is not about is refused
        Prepayments.Prepayment p = qinghai.prepayments.record(QH, ZJ, 100, 2026, "r", a);
        HubMessage forged = new HubMessage("x", PrepaymentService.RECORD, Admdvs.of("110000"), ZJ,
                qinghai.outbox.notices.get(0).body());
        assertThrows(IllegalArgumentException.class, () -> zhejiang.prepayments.answer(forged));
        assertEquals(List.of(), zhejiang.prepayments.history());
        assertTrue(p.id().startsWith("630000-"));
    }

    @Test
    void warningsAndEmergencyTopUpsFireExactlyOncePerCrossingAndReachTheInsuredNode() {
        qinghai.prepayments.record(QH, ZJ, Money.ofYuan("1000.00").fen(), 2026, "transfer", Actor.console("finance"));
        qinghai.deliverTo(zhejiang);
        zhejiang.claim("S1", QH, 690);
        assertEquals(Prepayments.Level.NONE, zhejiang.prepayments.watch().get(0).level());
        assertEquals(0, zhejiang.outbox.notices.size(), "below 70 %: nothing");

        zhejiang.claim("S2", QH, 10);
        assertEquals(Prepayments.Level.WARNING, zhejiang.prepayments.watch().get(0).level());
        zhejiang.claim("S3", QH, 50);
        zhejiang.prepayments.watch();
        assertEquals(Prepayments.Level.WARNING, new PrepaymentService(ZJ, zhejiang.store, zhejiang.store,
                zhejiang.ledger, zhejiang.outbox, CLOCK, 70, 90).watch().get(0).level(), "a restarted node too");
        assertEquals(1, zhejiang.deliverTo(qinghai), "one warning for one crossing, also across a restart");
        Prepayments.Standing told = qinghai.prepayments.standings().get(0);
        assertEquals(Prepayments.Level.WARNING, told.level());
        assertEquals(70_000, told.outstanding(), "as the crossing told it");

        zhejiang.claim("S4", QH, 160);
        Prepayments.Standing emergency = zhejiang.prepayments.watch().get(0);
        assertEquals(Prepayments.Level.EMERGENCY, emergency.level());
        assertEquals(910, emergency.permille());
        assertEquals(82_000, emergency.topUpFen(), "2 x 910 - 1000 yuan: back to half");
        zhejiang.prepayments.watch();
        assertEquals(1, zhejiang.deliverTo(qinghai));
        assertEquals(82_000, qinghai.prepayments.standings().get(0).topUpFen());
        assertTrue(qinghai.prepayments.check().detail().contains("EMERGENCY TOP-UP"), qinghai.prepayments.check().detail());
        assertTrue(zhejiang.prepayments.check().detail().contains("820.00 yuan"), zhejiang.prepayments.check().detail());

        // the month is cleared: the claims move to the clearing account, the prepayment is whole again
        zhejiang.store.inTransaction("clear", c -> {
            zhejiang.ledger.post(c, ClearingNode.posting("CL202611", "C", "630000",
                    new FundAmounts(91_000, 0, 0, 0, 0, 0, 0, 0)).orElseThrow());
            return null;
        });
        assertEquals(Prepayments.Level.NONE, zhejiang.prepayments.watch().get(0).level());
        assertEquals(1, zhejiang.deliverTo(qinghai), "back below: said once");
        assertEquals(Prepayments.Level.NONE, qinghai.prepayments.standings().get(0).level());
        zhejiang.claim("S5", QH, 700);
        assertEquals(Prepayments.Level.WARNING, zhejiang.prepayments.watch().get(0).level());
        assertEquals(1, zhejiang.deliverTo(qinghai), "a new crossing warns again");
        assertEquals(List.of(), zhejiang.ledger.verify().problems());
    }

    @Test
    void aPrepaymentIsSizedFromTwoMonthsOfLastYearsFlows() {
        assertEquals(200_000, PrepaymentService.suggest(1_200_000, 2));
        assertEquals(100, PrepaymentService.suggest(1, 2), "up to whole yuan");
        assertEquals(List.of(), zhejiang.prepayments.size(QH, 2027, 2), "no flows, no suggestion");
        assertThrows(IllegalArgumentException.class, () -> zhejiang.prepayments.size(ZJ, 2027, 2));
        assertThrows(IllegalArgumentException.class, () -> zhejiang.prepayments.size(QH, 2027, 13));
    }
}
