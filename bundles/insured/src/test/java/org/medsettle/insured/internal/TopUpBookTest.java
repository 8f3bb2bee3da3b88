package org.medsettle.insured.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.policy.MedicalAssistance;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.PolicyRefusal;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyVersion;
import org.medsettle.api.policy.ProvincePolicy;
import org.medsettle.api.policy.TreatmentDifferenceTopUp;
import org.medsettle.api.store.Actor;
import org.medsettle.api.topup.TopUpState;
import org.medsettle.persons.internal.PersonRegistryService;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

/**
 * The insured node's side of a top-up (待遇补差): a notice is checked against what this node knows (the person, real
 * dates and amounts, its own policy) before it is owed; what its own policy would not pay is recorded CANCELLED with
 * the reason; the ledger check finds a top-up whose entries were tampered with.
 */
@org.junit.jupiter.api.Tag("database")
class TopUpBookTest {

    private static final String PSN = "63000000000000000001";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-20T02:00:00Z"), ZoneOffset.UTC);
    private StoreComponent store;
    private org.medsettle.ledger.internal.LedgerService ledger;
    private TopUpBook book;
    /** The top-up option of 630000's policy in force; null: none. */
    private TreatmentDifferenceTopUp option = new TreatmentDifferenceTopUp(BigDecimal.ONE, Money.ofYuan("5000.00"),
            Set.of());

    @BeforeEach
    void setUp() {
        store = TestStores.fresh(
                TestStores.OwnSchema.of(org.medsettle.ledger.internal.LedgerService.class, "db/ledger", "medsettle-ledger"),
                TestStores.OwnSchema.of(TopUpBook.class, "db/insured", "medsettle-insured"),
                TestStores.OwnSchema.of(org.medsettle.clearing.internal.ClearingNode.class, "db/clearing",
                        "medsettle-clearing"));
        PersonRegistryService persons = new PersonRegistryService(store, TestIdentities.node("630000"));
        persons.importCsv(new ByteArrayInputStream(("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,"
                + "acct_balc,emp_name\n" + PSN + ",631303199608106108,成杰,2,1996-08-10,310,1101,,100.00,\n")
                .getBytes(StandardCharsets.UTF_8)), "p.csv", Actor.console("t"), n -> { });
        ledger = new org.medsettle.ledger.internal.LedgerService(store, clock);
        ledger.addCheck(new TopUpLedgerCheck());
        PolicyRegistry policies = new PolicyRegistry() {
            public List<ProvincePolicy> provinces() {
                return List.of();
            }

            public Optional<ProvincePolicy> province(Admdvs province) {
                return Optional.empty();
            }

            public PolicyVersion inForce(Admdvs province, LocalDate date) {
                return new PolicyVersion(new Policy(Admdvs.of("630000"), "青海省", "2026.1", LocalDate.of(2026, 1, 1),
                        Map.of(), Map.of(), MedicalAssistance.NONE, option), "test");
            }

            public List<PolicyRefusal> refusals() {
                return List.of();
            }
        };
        book = new TopUpBook(store, store, ledger, TestIdentities.node("630000"), persons, policies, clock);
    }

    private static String body(String setlId, String psn, String time, String amount, String direct, String manual) {
        return "{\"setl_id\":\"" + setlId + "\",\"psn_no\":\"" + psn + "\",\"mdtrt_id\":\"33000000000000000001\","
                + "\"fixmedins_code\":\"H33010000003\",\"med_type\":\"21\",\"setl_time\":\"" + time + "\","
                + "\"top_up_amt\":" + amount + ",\"direct_fund_pay\":" + direct + ",\"manual_fund_pay\":" + manual
                + ",\"policy_version\":\"2026.1\",\"policy_date\":\"2026-11-05\",\"catalogue\":\"630000 v1\"}";
    }

    private String answer(String from, String body) {
        return book.answer(new HubMessage("TOPUP-1", "TOP_UP", Admdvs.of(from), Admdvs.of("630000"), body));
    }

    @Test
    void aTopUpIsRecordedOnceWithItsFundLine() {
        String ok = body("S1", PSN, "2026-11-05 10:00:00", "504.00", "6486.62", "6990.62");
        assertEquals("{\"recorded\":true}", answer("330000", ok));
        assertEquals("{\"recorded\":false}", answer("330000", ok));
        assertEquals(TopUpState.WAITING, book.get("S1").orElseThrow().state());
        assertEquals("its settlement is not applied here yet", book.get("S1").orElseThrow().why());
        assertEquals(1, store.recent(10, Optional.of("TOP_UP_RECORDED")).size());
        assertTrue(ledger.verify().problems().isEmpty(), ledger.verify().problems().toString());
    }

    @Test
    void noticesThatCannotBeTrueAreRefused() {
        // more than home would pay more
        assertThrows(IllegalArgumentException.class, () -> answer("330000",
                body("S1", PSN, "2026-11-05 10:00:00", "504.01", "6486.62", "6990.62")));
        // a settlement in the future, a date that does not exist, a person not insured here, from this province
        assertThrows(IllegalArgumentException.class, () -> answer("330000",
                body("S1", PSN, "2027-01-05 10:00:00", "504.00", "6486.62", "6990.62")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> answer("330000",
                body("S1", PSN, "2026-02-30 10:00:00", "504.00", "6486.62", "6990.62"))).getMessage()
                .startsWith("setl_time: yyyy-MM-dd HH:mm:ss"));
        assertThrows(IllegalStateException.class, () -> answer("330000",
                body("S1", "63000000000000000999", "2026-11-05 10:00:00", "504.00", "6486.62", "6990.62")));
        assertThrows(IllegalArgumentException.class, () -> answer("630000",
                body("S1", PSN, "2026-11-05 10:00:00", "504.00", "6486.62", "6990.62")));
        assertThrows(IllegalArgumentException.class, () -> answer("330000",
                body("S1", PSN, "2026-11-05 10:00:00", "0", "6486.62", "6990.62")));
        assertThrows(IllegalArgumentException.class, () -> answer("330000", "not json"));
        assertTrue(book.get("S1").isEmpty(), "nothing recorded");
    }

    @Test
    void whatThisProvincesOwnPolicyWouldNotPayIsRecordedCancelledWithTheReason() {
        option = new TreatmentDifferenceTopUp(new BigDecimal("0.5"), Money.ofYuan("5000.00"), Set.of());
        answer("330000", body("S1", PSN, "2026-11-05 10:00:00", "504.00", "6486.62", "6990.62"));
        var t = book.get("S1").orElseThrow();
        assertEquals(TopUpState.CANCELLED, t.state());
        assertTrue(t.why().contains("gives 252.00 for those fund payments"), t.why());
        option = null;
        answer("330000", body("S2", PSN, "2026-11-05 10:00:00", "504.00", "6486.62", "6990.62"));
        assertTrue(book.get("S2").orElseThrow().why().contains("pays no top-up"), book.get("S2").toString());
        assertEquals(new org.medsettle.api.topup.TopUps.Total(2, Money.ofYuan("1008.00")),
                book.totals().get(TopUpState.CANCELLED));
        assertTrue(ledger.verify().problems().isEmpty(), ledger.verify().problems().toString());
    }

    @Test
    void theLedgerCheckFindsATopUpWhoseEntriesDoNotMatch() throws Exception {
        answer("330000", body("S1", PSN, "2026-11-05 10:00:00", "504.00", "6486.62", "6990.62"));
        store.inTransaction("tamper", c -> {
            try (var ps = c.prepareStatement("UPDATE insured_top_up SET top_up_amt = 600.00 WHERE setl_id = 'S1'")) {
                return ps.executeUpdate();
            }
        });
        List<String> problems = ledger.verify().problems();
        assertEquals(List.of("top-up S1 (RECORDED): its ledger entries differ from its amount and state"), problems);
    }
}
