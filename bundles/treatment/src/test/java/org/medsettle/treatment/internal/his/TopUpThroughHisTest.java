package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.catalogue.HomeCatalogues;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.TreatmentDifferenceTopUp;
import org.medsettle.api.store.Actor;
import org.medsettle.api.topup.TopUp;
import org.medsettle.api.topup.TopUpState;
import org.medsettle.api.topup.TopUps;
import org.medsettle.engine.internal.Reference;

/**
 * The top-up of the treatment difference (待遇补差) from discharge to payment: 630000's policy pays one; a stay of a
 * 630000 patient at 330000 whose bill 630000's own catalogue covers better (README's example 1: home would pay 504.00
 * more) is settled through the HIS interface (the clerk is told), the treatment node's TOP_UP notice is recorded at the
 * insured node (its ledger's fund line), the month is cleared by the real clearing (both nodes and the hub), and the
 * top-up is paid there; reversals before and after; caps, and the cases where none is owed.
 */
@org.junit.jupiter.api.Tag("database")
class TopUpThroughHisTest {

    private static final String PSN = HisTransactionsTest.PSN;
    private static final String PSN2 = HisTransactionsTest.PSN2;
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    private final MonthlyClearingTest.MovingClock clock =
            new MonthlyClearingTest.MovingClock(LocalDateTime.of(2026, 11, 3, 9, 0));
    private final Network network = Network.ofProvinceNodes(clock);

    /** 630000's reference policy with the top-up option. */
    private static Policy withTopUp(String ratio, String max) {
        Policy p = Reference.policy("630000");
        return new Policy(p.admdvs(), p.name(), p.version(), p.effectiveFrom(), p.ratioReduction(), p.insuranceTypes(),
                p.medicalAssistance(), new TreatmentDifferenceTopUp(new BigDecimal(ratio), Money.ofYuan(max), Set.of()));
    }

    /** 330000's catalogue as 630000's own, but for the lines given (example 1: the 720.00 line is class A there). */
    private static Catalogue home(String code, ChargeClass c, String selfpay) {
        Catalogue base = Reference.catalogue("330000");
        return new Catalogue() {
            public Optional<org.medsettle.api.catalogue.CatalogueEntry> lookup(String item, LocalDate date) {
                return item.equals(code) ? Optional.of(new org.medsettle.api.catalogue.CatalogueEntry(code, "test",
                        "drug", c, new BigDecimal(selfpay), Optional.empty(), LocalDate.of(2020, 1, 1), Optional.empty()))
                        : base.lookup(item, date);
            }

            public String activeVersion() {
                return "630000 test catalogue";
            }
        };
    }

    private static final Catalogue EXAMPLE_1 = home("X6690743915000806360837", ChargeClass.A, "0");
    private static final Catalogue EXAMPLE_2 = home("XL01XAA415A940769565356", ChargeClass.B, "0.10");

    private Network.TreatmentNode node;
    private HisClient his;

    private void nodes(Catalogue homeCatalogue, Policy policy) {
        if (policy != null) {
            network.policyOverrides.put("630000", policy);
        }
        Network.InsuredNode insured = network.insured("630000");
        insured.importPersons(HisTransactionsTest.PERSONS);
        for (String psn : List.of(PSN, PSN2)) {
            insured.filings.file(new FilingRequest(psn, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                    LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                    Actor.console("agency"), "test");
        }
        node = network.treatment("330000");
        if (homeCatalogue != null) {
            node.his.setHomeCatalogues(new HomeCatalogues() {
                public Optional<Catalogue> of(Admdvs province) {
                    return province.province().code().equals("630000") ? Optional.of(homeCatalogue) : Optional.empty();
                }

                public List<String> describe() {
                    return List.of("630000: test");
                }
            });
        }
        his = new HisClient(node, node.hospital(3));
    }

    private record Stay(String mdtrtId, JsonNode answer) {
    }

    /** A stay of {@code psn} admitted, billed (the four lines), discharged, pre-settled and settled; the 2304 answer. */
    private Stay settle(String psn) {
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(psn))).path("result").path("mdtrt_id")
                .asText();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, psn)));
        HisClient.ok(his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, psn)));
        JsonNode answer = his.call("2304", "630000", HisTransactionsTest.settlement(mdtrtId, psn, HisTransactionsTest.TOTAL));
        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        return new Stay(mdtrtId, answer);
    }

    private void reverse(Stay stay, String psn) {
        HisClient.ok(his.call("2305", "630000", HisTransactionsTest.reversal(setlId(stay), stay.mdtrtId(), psn)));
    }

    private static String setlId(Stay stay) {
        return stay.answer().path("output").path("setlinfo").path("setl_id").asText();
    }

    private TopUps topUps() {
        return network.insured("630000").topUps;
    }

    private TopUp topUp(Stay stay) {
        return topUps().get(setlId(stay)).orElseThrow();
    }

    private Ledger.Report ledgerOf630000() {
        return network.insured("630000").ledger.verify();
    }

    private long balance(String account) {
        return network.insured("630000").ledger.balances(account).stream().filter(b -> b.account().equals(account))
                .mapToLong(Ledger.Balance::fen).sum();
    }

    /** November cleared by the real clearing: both nodes' sides and the hub. */
    private void clearNovember() {
        InProcessClearing clearing = new InProcessClearing(network, clock, "330000", "630000");
        clock.set(LocalDateTime.of(2026, 12, 1, 2, 0));
        clearing.clear(NOVEMBER);
    }

    @Test
    void aTopUpIsToldAtDischargeRecordedAtHomeAndPaidAfterTheMonthIsCleared() {
        nodes(EXAMPLE_1, withTopUp("1", "5000"));
        Stay stay = settle(PSN);
        JsonNode out = stay.answer().path("output");
        // direct: (10,266.60 − 1,000.00) × 0.70 = 6,486.62; at home (10,986.60 − 1,000.00) × 0.70 = 6,990.62
        assertEquals(new BigDecimal("6486.62"), out.path("setlinfo").path("fund_pay_sumamt").decimalValue().setScale(2));
        assertEquals(new BigDecimal("6990.62"), out.path("manual_reimbursement").path("fund_pay_sumamt").decimalValue().setScale(2));
        assertEquals(new BigDecimal("504.00"), out.path("manual_reimbursement").path("top_up_amt").decimalValue().setScale(2));
        String warn = stay.answer().path("warn_msg").asText();
        assertTrue(warn.contains("待遇补差") && warn.contains("630000 pays the patient 504.00 after the month's clearing"),
                warn);
        // what the patient pays now does not change: the top-up comes afterwards, from home
        assertEquals(new BigDecimal("4499.98"), out.path("setlinfo").path("psn_part_amt").decimalValue().setScale(2));

        // the notice, recorded once however often it arrives, waits for the clearing of its month
        assertEquals(1, network.deliver("330000", "TOP_UP"));
        assertEquals(1, network.deliver("330000", "TOP_UP"));
        TopUp t = topUp(stay);
        assertEquals(TopUpState.WAITING, t.state());
        assertEquals("the clearing (清算) of 2026-11", t.why());
        assertEquals(Money.ofYuan("504.00"), t.amount());
        assertEquals(Money.ofYuan("6486.62"), t.directFundPay());
        assertEquals(Admdvs.of("330000"), t.treatmentPlace());
        assertEquals(50_400, balance("fund:topup"), "the fund line of its own");
        assertEquals(-50_400, balance("topup:payable"));
        assertEquals(0, topUps().pay(Optional.empty(), "BATCH-1", "finance").paid(), "nothing is payable yet");
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                () -> topUps().pay(Optional.of(t.setlId()), "BATCH-1", "finance"));
        assertTrue(early.getMessage().contains("is WAITING (the clearing (清算) of 2026-11), not PAYABLE"), early.getMessage());

        clearNovember();
        assertEquals(TopUpState.PAYABLE, topUp(stay).state());
        assertEquals(new TopUps.Total(1, Money.ofYuan("504.00")), topUps().totals().get(TopUpState.PAYABLE));
        assertThrows(IllegalArgumentException.class, () -> topUps().pay(Optional.empty(), " ", "finance"));
        TopUps.Payment paid = topUps().pay(Optional.empty(), "BATCH-2026-12-01", "finance");
        assertEquals(new TopUps.Payment(1, Money.ofYuan("504.00"), List.of(t.setlId())), paid);
        TopUp after = topUp(stay);
        assertEquals(TopUpState.PAID, after.state());
        assertEquals(Optional.of("BATCH-2026-12-01"), after.paymentRef());
        assertEquals(0, balance("topup:payable"));
        assertEquals(-50_400, balance("bank"));
        assertEquals(0, topUps().pay(Optional.empty(), "BATCH-2", "finance").paid(), "paid once");
        assertEquals(1, network.insured("630000").store.recent(10, Optional.of("TOP_UP_PAID")).size());
        assertTrue(ledgerOf630000().problems().isEmpty(), ledgerOf630000().problems().toString());

        // reversed after it was paid: to be recovered from the person, and said so
        reverse(stay, PSN);
        assertEquals(TopUpState.RECOVER, topUp(stay).state());
        assertEquals(50_400, balance("topup:recover"));
        assertEquals(0, balance("fund:topup"));
        assertTrue(ledgerOf630000().problems().isEmpty(), ledgerOf630000().problems().toString());
        assertThrows(IllegalArgumentException.class, () -> topUps().cancel(t.setlId(), "wrong", "finance"));
    }

    @Test
    void aReversalBeforeTheNoticeArrivesOrBeforePaymentLeavesNothingOwed() {
        nodes(EXAMPLE_1, withTopUp("1", "5000"));
        Stay reversedFirst = settle(PSN);
        reverse(reversedFirst, PSN);
        Stay reversedAfter = settle(PSN2);
        assertEquals(2, network.deliver("330000", "TOP_UP"));
        TopUp early = topUp(reversedFirst);
        assertEquals(TopUpState.CANCELLED, early.state());
        assertEquals("its settlement was undone before the top-up arrived", early.why());
        assertEquals(TopUpState.WAITING, topUp(reversedAfter).state());
        reverse(reversedAfter, PSN2);
        TopUp late = topUp(reversedAfter);
        assertEquals(TopUpState.CANCELLED, late.state());
        assertEquals(0, balance("fund:topup"));
        assertEquals(0, balance("topup:payable"));
        assertEquals(new TopUps.Total(2, late.amount().plus(early.amount())), topUps().totals().get(TopUpState.CANCELLED));
        assertTrue(ledgerOf630000().problems().isEmpty(), ledgerOf630000().problems().toString());
    }

    @Test
    void anAdministratorCancelsAWaitingTopUpWithAReasonAndItIsNeverPaid() {
        nodes(EXAMPLE_1, withTopUp("1", "5000"));
        Stay stay = settle(PSN);
        network.deliver("330000", "TOP_UP");
        assertThrows(IllegalArgumentException.class, () -> topUps().cancel(setlId(stay), "", "finance"));
        assertThrows(IllegalArgumentException.class, () -> topUps().cancel("nosuch", "review", "finance"));
        TopUp cancelled = topUps().cancel(setlId(stay), "协查: 重复收费", "finance");
        assertEquals(TopUpState.CANCELLED, cancelled.state());
        assertEquals("协查: 重复收费", cancelled.why());
        clearNovember();
        assertEquals(0, topUps().pay(Optional.empty(), "BATCH-3", "finance").paid());
        assertEquals(1, network.insured("630000").store.recent(10, Optional.of("TOP_UP_CANCELLED")).size());
        assertTrue(ledgerOf630000().problems().isEmpty(), ledgerOf630000().problems().toString());
    }

    @Test
    void theTopUpStopsAtThePolicysCapAndItsRatio() {
        nodes(EXAMPLE_1, withTopUp("0.5", "200"));
        // 504.00 × 0.5 = 252.00, at most 200.00
        Stay stay = settle(PSN);
        assertEquals(new BigDecimal("200.00"), stay.answer().path("output").path("manual_reimbursement")
                .path("top_up_amt").decimalValue().setScale(2));
        network.deliver("330000", "TOP_UP");
        assertEquals(Money.ofYuan("200.00"), topUp(stay).amount());
    }

    @Test
    void nothingIsToppedUpWhenHomeWouldPayLessOrThePolicyPaysNone() {
        nodes(EXAMPLE_2, withTopUp("1", "5000"));
        Stay less = settle(PSN);
        assertTrue(less.answer().path("output").path("manual_reimbursement").isMissingNode(), less.answer().toString());
        assertFalse(less.answer().path("warn_msg").asText().contains("待遇补差"));
        network.policyOverrides.remove("630000");
        assertEquals(0, network.deliver("330000", "TOP_UP"));
        node.his.setHomeCatalogues(new HomeCatalogues() {
            public Optional<Catalogue> of(Admdvs province) {
                return Optional.of(EXAMPLE_1);
            }

            public List<String> describe() {
                return List.of();
            }
        });
        Stay none = settle(PSN2);
        assertTrue(none.answer().path("output").path("manual_reimbursement").isMissingNode(), "the policy pays none");
        assertEquals(0, network.deliver("330000", "TOP_UP"));
    }

    @Test
    void aPolicyThatPaysATopUpWithoutItsCatalogueHereTellsTheClerkWhereToClaim() {
        nodes(null, withTopUp("1", "5000"));
        Stay stay = settle(PSN);
        String warn = stay.answer().path("warn_msg").asText();
        assertTrue(warn.contains("630000's policy pays one, but this node has not its catalogue (参保地目录) to compute "
                + "it: the patient may claim it at 630000"), warn);
        assertEquals(0, network.deliver("330000", "TOP_UP"));
    }

    @Test
    void thePreSettlementEstimatesTheTopUp() {
        nodes(EXAMPLE_1, withTopUp("1", "5000"));
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(PSN))).path("result").path("mdtrt_id")
                .asText();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, PSN)));
        HisClient.ok(his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, PSN)));
        JsonNode pre = his.call("2303", "630000", HisTransactionsTest.settlement(mdtrtId, PSN, HisTransactionsTest.TOTAL));
        assertEquals(new BigDecimal("504.00"), pre.path("output").path("manual_reimbursement").path("top_up_amt")
                .decimalValue().setScale(2));
        assertTrue(pre.path("warn_msg").asText().contains("630000 would top up 504.00 of it after the month's clearing"),
                pre.toString());
        assertEquals(0, network.deliver("330000", "TOP_UP"), "a pre-settlement sends nothing");
    }
}
