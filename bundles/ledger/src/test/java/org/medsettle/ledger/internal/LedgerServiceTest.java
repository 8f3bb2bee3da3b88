package org.medsettle.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.LedgerCheck;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestStores;

/** The ledger on a real (in-memory) Derby database with its own migrations, as the schema extender applies them. */
@org.junit.jupiter.api.Tag("database")
class LedgerServiceTest {

    private StoreComponent store;
    private LedgerService ledger;

    static SettlementAmounts amounts(long hifp, long hifmi, long acct) {
        Money z = Money.ZERO;
        return new SettlementAmounts(Money.ofFen(hifp + hifmi + acct + 500), z, z, z, z, z, Money.ofFen(hifp),
                java.math.BigDecimal.ZERO, z, z, Money.ofFen(hifmi), z, z, z, Money.ofFen(hifp + hifmi),
                Money.ofFen(acct + 500), Money.ofFen(acct), Money.ofFen(500), z);
    }

    @BeforeEach
    void setUp() {
        store = TestStores.fresh();
        assertEquals(1, store.applyOwnSchema(LedgerService.class.getClassLoader(), "db/ledger", "medsettle-ledger"));
        ledger = new LedgerService(store, Clock.systemUTC());
    }

    private void post(Posting p) {
        store.inTransaction("post", c -> {
            ledger.post(c, p);
            return null;
        });
    }

    @Test
    void aSettlementPostsPerFundTheInsuredProvincesDebtAgainstTheHospitalAndTheBalancesFollow() {
        Posting settled = Posting.atTreatment(Posting.SETTLED, "S1", Admdvs.of("630100"), "H33010000003",
                amounts(700_000, 120_000, 3_000)).orElseThrow();
        assertEquals(4, settled.entries().size(), "hifp, hifmi, acct on the claims, their sum on the hospital");
        post(settled);
        post(Posting.atTreatment(Posting.SETTLED, "S2", Admdvs.of("630000"), "H33010000001",
                amounts(100, 0, 0)).orElseThrow());
        List<Ledger.Balance> claims = ledger.balances("claim:630000");
        assertEquals(List.of(new Ledger.Balance("claim:630000:acct", 3_000, 1),
                new Ledger.Balance("claim:630000:hifmi", 120_000, 1),
                new Ledger.Balance("claim:630000:hifp", 700_100, 2)), claims);
        assertEquals(-823_000, ledger.balances("hospital:H33010000003").get(0).fen());
        Ledger.Report report = ledger.verify();
        assertEquals(List.of(), report.problems());
        assertEquals(2, report.postings());
        assertEquals(6, report.entries());
        assertEquals(0, report.sum());

        // a correction posts the opposite: the claims are back to what they were
        post(settled.opposite(Posting.CORRECTED));
        assertEquals(100, ledger.balances("claim:630000:hifp").get(0).fen());
        assertEquals(List.of(), ledger.verify().problems());
    }

    @Test
    void aPostingIsWrittenOnceAndOnlyBalanced() {
        Posting p = Posting.atInsuredPlace(Posting.APPLIED, "S1", Admdvs.of("330000"), amounts(10, 0, 0)).orElseThrow();
        post(p);
        assertThrows(RuntimeException.class, () -> post(p), "the same kind and reference twice");
        assertThrows(IllegalArgumentException.class, () -> new Posting("SETTLED", "S9",
                List.of(new Posting.Entry("claim:630000:hifp", 5), new Posting.Entry("hospital:H1", -4))));
        assertThrows(IllegalArgumentException.class, () -> new Posting.Entry("claim:630000:hifp'; DROP", 5));
        assertTrue(Posting.atTreatment(Posting.SETTLED, "S3", Admdvs.of("630000"), "H1", amounts(0, 0, 0)).isEmpty(),
                "nothing paid by a fund, nothing to post");
        assertEquals(1, ledger.verify().postings());
    }

    @Test
    void theCheckFindsEntriesThatDoNotSumToZeroAndWhatTheOwnersChecksReport() throws Exception {
        post(Posting.atTreatment(Posting.SETTLED, "S1", Admdvs.of("630000"), "H1", amounts(100, 0, 0)).orElseThrow());
        // an entry written past the ledger (what the check is for): the sum is no longer zero
        store.inTransaction("tamper", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO ledger_entry (posting_id, account, amount_fen) "
                        + "SELECT posting_id, 'hospital:H1', -1 FROM ledger_posting WHERE reference = 'S1'");
            }
            return null;
        });
        ledger.addCheck(new LedgerCheck() {
            @Override
            public String name() {
                return "test records";
            }

            @Override
            public List<String> problems(Connection readOnly, int limit) throws SQLException {
                return List.of("settlement S7 has no entries");
            }
        });
        Ledger.Report report = ledger.verify();
        assertEquals(-1, report.sum());
        assertTrue(report.problems().get(0).contains("sum to -1 fen"), report.problems().toString());
        assertTrue(report.problems().get(1).startsWith("posting SETTLED S1 does not balance: 3 entries"),
                report.problems().toString());
        assertEquals("settlement S7 has no entries", report.problems().get(2));
        assertTrue(report.checks().stream().anyMatch(c -> c.startsWith("test records (")), report.checks().toString());
        HealthResult health = ledger.check();
        assertTrue(!health.ok() && health.detail().contains("3 problem(s)"), health.toString());
    }
}
