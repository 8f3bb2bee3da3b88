package org.medsettle.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.ItemSplit;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;

/**
 * For any input the money identities of settlement-rules.md hold exactly, no fund pays a negative amount or
 * beyond its cap, and a person's year of random visits never overdraws the account. Each repetition is a
 * different seed, printed on failure, so a failing case can be replayed.
 */
class MoneyIdentitiesPropertyTest {

    private static final String[] CODES = {"A", "AL", "B", "C", "W", "N", "UNKNOWN"};
    private static final String[] POLICIES = {"110000", "130000", "230000", "330000", "410000", "630000"};
    private final RulesEngine engine = new RulesEngine();

    @RepeatedTest(40)
    void theIdentitiesHoldForARandomYearOfVisits(RepetitionInfo repetition) {
        long seed = 20261123L * 31 + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Policy policy = Reference.policy(POLICIES[random.nextInt(POLICIES.length)]);
        InsuranceType type = random.nextBoolean() ? InsuranceType.EMPLOYEE : InsuranceType.RESIDENT;
        boolean retired = type == InsuranceType.EMPLOYEE && random.nextBoolean();
        Assistance assistance = Assistance.values()[random.nextInt(Assistance.values().length)];
        FilingCategory category = FilingCategory.values()[random.nextInt(FilingCategory.values().length)];
        Accumulators acc = Accumulators.opening(type == InsuranceType.EMPLOYEE
                ? Money.ofFen(random.nextInt(3_000_000)) : Money.ZERO);
        int visits = 1 + random.nextInt(12);
        for (int v = 0; v < visits; v++) {
            MedicalType medType = MedicalType.values()[random.nextInt(MedicalType.values().length)];
            SettlementInput in = new SettlementInput(policy, Fixtures.catalogue(), type, retired, assistance, category, medType,
                    1 + random.nextInt(3), LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28)),
                    random.nextBoolean(), items(random), acc);
            SettlementOutcome o = engine.settle(in);
            check("seed " + seed + " visit " + v, in, o);
            acc = acc.plus(o.change());
            assertFalse(acc.accountBalance().isNegative(), "seed " + seed + ": account overdrawn");
            for (LayerFund fund : LayerFund.values()) {
                assertFalse(acc.layer(fund).paid().isNegative(), "seed " + seed);
            }
        }
        Accumulators year = acc;
        for (var layer : policy.forInsuranceType(type).orElseThrow().layers()) {
            assertTrue(year.layer(layer.fund()).paid().compareTo(layer.annualCap()) <= 0, "seed " + seed + ": layer over its cap");
        }
        policy.forInsuranceType(type).orElseThrow().capPools().forEach((pool, cap) ->
                assertTrue(year.pool(pool).hifpPaid().compareTo(cap) <= 0, "seed " + seed + ": pool " + pool + " over its cap"));
    }

    private static List<FeeLine> items(Random random) {
        List<FeeLine> items = new ArrayList<>();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            BigDecimal price = BigDecimal.valueOf(random.nextInt(500_000), 2 + random.nextInt(2));
            BigDecimal count = BigDecimal.valueOf(1 + random.nextInt(40), random.nextInt(2));
            BigDecimal amount = price.multiply(count).setScale(2, RoundingMode.HALF_UP);
            items.add(new FeeLine(String.format("%04d", i), CODES[random.nextInt(CODES.length)],
                    LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28)).atTime(random.nextInt(24), 0),
                    price, count, Money.ofYuan(amount)));
        }
        return items;
    }

    private static void check(String where, SettlementInput in, SettlementOutcome o) {
        SettlementAmounts a = o.amounts();
        for (ItemSplit s : o.items()) {
            assertEquals(s.amount(), s.fulamtOwnpay().plus(s.overlmtSelfpay()).plus(s.preselfpay()).plus(s.inscp()), where + " item " + s.feedetlSn());
            assertFalse(s.inscp().isNegative() || s.preselfpay().isNegative() || s.overlmtSelfpay().isNegative(), where);
        }
        assertEquals(a.medfeeSumamt(), a.fulamtOwnpayAmt().plus(a.overlmtSelfpay()).plus(a.preselfpayAmt()).plus(a.inscpScpAmt()), where);
        assertEquals(a.fundPaySumamt(), a.hifpPay().plus(a.hifmiPay()).plus(a.hifobPay()).plus(a.mafPay()), where);
        assertEquals(a.medfeeSumamt(), a.fundPaySumamt().plus(a.acctPay()).plus(a.psnCashPay()), where);
        assertEquals(a.psnPartAmt(), a.acctPay().plus(a.psnCashPay()), where);
        for (Money m : List.of(a.actPayDedc(), a.hifpPay(), a.hifmiPay(), a.hifobPay(), a.mafPay(), a.acctPay(), a.psnCashPay(), a.balc())) {
            assertFalse(m.isNegative(), where + ": negative amount in " + a);
        }
        assertTrue(a.actPayDedc().compareTo(a.inscpScpAmt()) <= 0, where + ": deductible above in-scope");
        assertTrue(a.hifpPay().compareTo(a.inscpScpAmt().minus(a.actPayDedc())) <= 0, where + ": basic fund above what is reimbursable");
        assertTrue(a.fundPaySumamt().compareTo(a.inscpScpAmt()) <= 0, where + ": funds above the in-scope amount");
        assertTrue(a.acctPay().compareTo(in.accumulators().accountBalance()) <= 0, where + ": account above its balance");
        assertTrue(a.poolPropSelfpay().signum() >= 0 && a.poolPropSelfpay().compareTo(BigDecimal.ONE) <= 0, where);
        if (in.insuranceType() == InsuranceType.RESIDENT) {
            assertEquals(Money.ZERO, a.acctPay(), where);
        }
    }
}
