package org.medsettle.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medsettle.engine.internal.Fixtures.DAY;
import static org.medsettle.engine.internal.Fixtures.dec;
import static org.medsettle.engine.internal.Fixtures.inpatient;
import static org.medsettle.engine.internal.Fixtures.input;
import static org.medsettle.engine.internal.Fixtures.line;
import static org.medsettle.engine.internal.Fixtures.lines;
import static org.medsettle.engine.internal.Fixtures.yuan;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;
import org.medsettle.api.settlement.SettlementRefusedException;

class RulesEngineTest {

    private final RulesEngine engine = new RulesEngine();
    private final Accumulators fresh = Accumulators.opening(yuan("100000"));

    private SettlementAmounts settle(SettlementInput input) {
        return engine.settle(input).amounts();
    }

    @Test
    void aVisitWithoutItemsSettlesToZero() {
        SettlementAmounts a = settle(inpatient(List.of(), fresh));
        assertEquals(Money.ZERO, a.medfeeSumamt());
        assertEquals(Money.ZERO, a.actPayDedc());
        assertEquals(Money.ZERO, a.hifpPay());
        assertEquals(Money.ZERO, a.psnCashPay());
        assertEquals(0, a.poolPropSelfpay().signum());
    }

    @Test
    void everythingClassCIsPaidByThePatientInCashNotFromTheAccount() {
        SettlementAmounts a = settle(inpatient(lines(line("C", "100.00", "3")), fresh));
        assertEquals(yuan("300.00"), a.fulamtOwnpayAmt());
        assertEquals(Money.ZERO, a.inscpScpAmt());
        assertEquals(Money.ZERO, a.hifpPay());
        assertEquals(Money.ZERO, a.acctPay());
        assertEquals(yuan("300.00"), a.psnCashPay());
    }

    @Test
    void aDeductibleLargerThanTheInScopeAmountTakesOnlyWhatIsThere() {
        SettlementOutcome o = engine.settle(inpatient(lines(line("A", "50.00", "10")), fresh));
        assertEquals(yuan("500.00"), o.amounts().actPayDedc());
        assertEquals(Money.ZERO, o.amounts().hifpPay());
        assertTrue(o.explanation().stream().anyMatch(l -> l.contains("charged 500.00 of 1000.00")), o.explanation().toString());
    }

    @Test
    void aVisitEndingExactlyOnATierBoundaryUsesOnlyTheLowerTier() {
        SettlementOutcome first = engine.settle(inpatient(lines(line("A", "1000.00", "10")), fresh));
        assertEquals(yuan("7200.00"), first.amounts().hifpPay()); // [1000, 10000) × 0.80
        assertEquals(dec("0.8000"), first.amounts().poolPropSelfpay());

        Accumulators after = fresh.plus(first.change());
        SettlementAmounts second = settle(inpatient(lines(line("A", "1000.00", "2")), after));
        assertEquals(yuan("500.00"), second.actPayDedc());          // repeat admission: 1000 × 0.5
        assertEquals(yuan("1350.00"), second.hifpPay());            // [10500, 12000) × 0.90
    }

    @Test
    void aVisitAcrossATierBoundaryPaysEachPartAtItsRatio() {
        SettlementAmounts a = settle(inpatient(lines(line("A", "1000.00", "12")), fresh));
        assertEquals(yuan("9000.00"), a.hifpPay()); // 9000 × 0.80 + 2000 × 0.90
    }

    @Test
    void theAnnualCapReachedInTheMiddleOfAVisitLimitsTheBasicFund() {
        SettlementInput in = new SettlementInput(Fixtures.policy("5000"), Fixtures.catalogue(), InsuranceType.EMPLOYEE, false,
                Assistance.NONE, FilingCategory.LONG_TERM_RESIDENT, MedicalType.INPATIENT, 2, DAY, true,
                lines(line("A", "1000.00", "10")), fresh);
        SettlementOutcome o = engine.settle(in);
        assertEquals(yuan("5000.00"), o.amounts().hifpPay());
        assertTrue(o.explanation().stream().anyMatch(l -> l.contains("annual cap of pool inpatient reached")));

        SettlementInput next = new SettlementInput(in.policy(), in.catalogue(), in.insuranceType(), false, Assistance.NONE,
                in.filingCategory(), in.medicalType(), 2, DAY, true, in.items(), fresh.plus(o.change()));
        assertEquals(Money.ZERO, settle(next).hifpPay());
    }

    @Test
    void aLayerThresholdCrossedInTheMiddleOfAVisitPaysOnlyAboveIt() {
        Accumulators before = new Accumulators(Map.of(), 0, Map.of(LayerFund.HIFOB, new LayerAccumulator(yuan("4000"), Money.ZERO)),
                Money.ZERO, yuan("100000"));
        SettlementOutcome o = engine.settle(inpatient(lines(line("A", "1000.00", "10")), before));
        // personal share 10000 − 7200 = 2800 on the layer's axis [4000, 6800); above 5000: 1800 × 0.80
        assertEquals(yuan("1440.00"), o.amounts().hifobPay());
        assertEquals(new LayerAccumulator(yuan("2800.00"), yuan("1440.00")), o.change().layer(LayerFund.HIFOB));
    }

    @Test
    void retiredPersonsGetTheRetiredRatio() {
        List<org.medsettle.api.model.FeeLine> items = lines(line("A", "1000.00", "10"));
        assertEquals(yuan("7200.00"), settle(input(MedicalType.INPATIENT, false, FilingCategory.LONG_TERM_RESIDENT, items, fresh)).hifpPay());
        assertEquals(yuan("7650.00"), settle(input(MedicalType.INPATIENT, true, FilingCategory.LONG_TERM_RESIDENT, items, fresh)).hifpPay());
    }

    @Test
    void theCrossProvinceReductionLowersTheBasicFundRatioByFilingCategory() {
        List<org.medsettle.api.model.FeeLine> items = lines(line("A", "1000.00", "10"));
        assertEquals(yuan("5400.00"), settle(input(MedicalType.INPATIENT, false, FilingCategory.TEMPORARY, items, fresh)).hifpPay());
        assertEquals(yuan("6300.00"), settle(input(MedicalType.INPATIENT, false, FilingCategory.REFERRAL, items, fresh)).hifpPay());
        assertEquals(yuan("7200.00"), settle(input(MedicalType.INPATIENT, false, FilingCategory.EMERGENCY, items, fresh)).hifpPay());
    }

    @Test
    void aWithdrawnCatalogueCodeIsSelfPaidFromTheDayAfterItsEnd() {
        SettlementAmounts valid = settle(inpatient(lines(line("W", "10.00", "1", LocalDateTime.of(2026, 3, 31, 23, 59))), fresh));
        assertEquals(yuan("10.00"), valid.inscpScpAmt());
        SettlementAmounts withdrawn = settle(inpatient(lines(line("W", "10.00", "1", LocalDateTime.of(2026, 4, 1, 0, 0))), fresh));
        assertEquals(yuan("10.00"), withdrawn.fulamtOwnpayAmt());
        assertEquals(Money.ZERO, withdrawn.inscpScpAmt());
    }

    @Test
    void aPriceExactlyAtTheLimitIsNotOverTheLimit() {
        assertEquals(Money.ZERO, settle(inpatient(lines(line("AL", "10.00", "3")), fresh)).overlmtSelfpay());
        SettlementAmounts over = settle(inpatient(lines(line("AL", "10.01", "3")), fresh));
        assertEquals(yuan("0.03"), over.overlmtSelfpay());
        assertEquals(yuan("30.00"), over.inscpScpAmt());
    }

    @Test
    void classBPaysItsFirstShareBeforeTheRestIsInScope() {
        SettlementAmounts a = settle(inpatient(lines(line("B", "33.33", "3")), fresh));
        assertEquals(yuan("20.00"), a.preselfpayAmt());  // 99.99 × 0.20 = 19.998 → 20.00
        assertEquals(yuan("79.99"), a.inscpScpAmt());
    }

    @Test
    void aStayAcrossNewYearJudgesEachItemOnItsOwnDate() {
        SettlementInput in = new SettlementInput(Fixtures.policy(), Fixtures.catalogue(), InsuranceType.EMPLOYEE, false,
                Assistance.NONE, FilingCategory.LONG_TERM_RESIDENT, MedicalType.INPATIENT, 2, LocalDate.of(2026, 1, 3), true,
                lines(line("A", "100.00", "1", LocalDateTime.of(2025, 12, 28, 9, 0)),
                        line("N", "10.00", "1", LocalDateTime.of(2025, 12, 31, 9, 0)),
                        line("N", "20.00", "1", LocalDateTime.of(2026, 1, 2, 9, 0))), fresh);
        SettlementAmounts a = settle(in);
        assertEquals(yuan("10.00"), a.fulamtOwnpayAmt()); // N was not in the catalogue yet in 2025
        assertEquals(yuan("120.00"), a.inscpScpAmt());
    }

    @Test
    void emergencyOutpatientUsesTheGeneralOutpatientBenefit() {
        SettlementAmounts a = settle(input(MedicalType.EMERGENCY_OUTPATIENT, false, FilingCategory.EMERGENCY,
                lines(line("A", "100.00", "10")), fresh));
        assertEquals(yuan("500.00"), a.actPayDedc());
        assertEquals(yuan("250.00"), a.hifpPay()); // 500 × 0.50
    }

    @Test
    void theAnnualDeductibleIsChargedOncePerYear() {
        SettlementOutcome first = engine.settle(input(MedicalType.GENERAL_OUTPATIENT, false, FilingCategory.LONG_TERM_RESIDENT,
                lines(line("A", "100.00", "3")), fresh));
        assertEquals(yuan("300.00"), first.amounts().actPayDedc());
        SettlementAmounts second = settle(input(MedicalType.GENERAL_OUTPATIENT, false, FilingCategory.LONG_TERM_RESIDENT,
                lines(line("A", "100.00", "3")), fresh.plus(first.change())));
        assertEquals(yuan("200.00"), second.actPayDedc());
        assertEquals(yuan("50.00"), second.hifpPay());
    }

    @Test
    void aMedicalTypeWithoutBenefitIsRefusedNeverPaidAtZero() {
        SettlementRefusedException e = assertThrows(SettlementRefusedException.class, () -> settle(input(
                MedicalType.CHRONIC_OUTPATIENT, false, FilingCategory.LONG_TERM_RESIDENT, lines(line("A", "1.00", "1")), fresh)));
        assertEquals("med_type", e.field());
    }

    @Test
    void anInsuranceTypeTheInsuredPolicyLacksIsRefused() {
        SettlementInput in = new SettlementInput(Fixtures.policy(), Fixtures.catalogue(), InsuranceType.RESIDENT, false,
                Assistance.NONE, FilingCategory.LONG_TERM_RESIDENT, MedicalType.INPATIENT, 2, DAY, false, List.of(), fresh);
        assertEquals("insutype", assertThrows(SettlementRefusedException.class, () -> settle(in)).field());
    }

    @Test
    void anAmountThatIsNotPriceTimesQuantityIsRefusedNamingTheLine() {
        org.medsettle.api.model.FeeLine bad = new org.medsettle.api.model.FeeLine("2", "A", DAY.atTime(9, 0), dec("10.00"), dec("3"),
                yuan("30.02"));
        SettlementRefusedException e = assertThrows(SettlementRefusedException.class,
                () -> settle(inpatient(lines(line("A", "1.00", "1"), bad), fresh)));
        assertEquals("feedetail[1].det_item_fee_sumamt", e.field());
        org.medsettle.api.model.FeeLine withinAFen = new org.medsettle.api.model.FeeLine("3", "A", DAY.atTime(9, 0), dec("3.333"),
                dec("3"), yuan("10.00"));
        assertEquals(yuan("10.00"), settle(inpatient(lines(withinAFen), fresh)).inscpScpAmt());
    }

    @Test
    void aQuantityThatIsNotPositiveIsRefused() {
        org.medsettle.api.model.FeeLine zero = new org.medsettle.api.model.FeeLine("1", "A", DAY.atTime(9, 0), dec("10.00"), dec("0"),
                Money.ZERO);
        assertEquals("feedetail[0].cnt", assertThrows(SettlementRefusedException.class,
                () -> settle(inpatient(lines(zero), fresh))).field());
    }

    @Test
    void assistancePaysItsRatioOfWhatIsLeftWithinItsCap() {
        SettlementInput in = new SettlementInput(Fixtures.policy(), Fixtures.catalogue(), InsuranceType.EMPLOYEE, false,
                Assistance.EXTREME_POVERTY, FilingCategory.LONG_TERM_RESIDENT, MedicalType.INPATIENT, 2, DAY, false,
                lines(line("A", "1000.00", "10")), fresh);
        SettlementAmounts a = settle(in);
        assertEquals(yuan("2800.00"), a.mafPay()); // 10000 − 7200, ratio 1.0, under the cap of 3000
        assertEquals(Money.ZERO, a.psnCashPay());
    }

    @Test
    void theAccountPaysAtMostItsBalanceAndNothingWhenNotAsked() {
        Accumulators poor = Accumulators.opening(yuan("100.00"));
        SettlementAmounts a = settle(inpatient(lines(line("A", "1000.00", "10")), poor));
        assertEquals(yuan("100.00"), a.acctPay());
        assertEquals(Money.ZERO, a.balc());
        SettlementInput notAsked = new SettlementInput(Fixtures.policy(), Fixtures.catalogue(), InsuranceType.EMPLOYEE, false,
                Assistance.NONE, FilingCategory.LONG_TERM_RESIDENT, MedicalType.INPATIENT, 2, DAY, false,
                lines(line("A", "1000.00", "10")), fresh);
        assertEquals(Money.ZERO, settle(notAsked).acctPay());
        assertEquals(yuan("100000.00"), settle(notAsked).balc());
    }

    @Test
    void aReversalTakesBackExactlyWhatTheSettlementAdded() {
        Accumulators before = new Accumulators(Map.of(), 1, Map.of(LayerFund.HIFOB, new LayerAccumulator(yuan("4000"), yuan("10"))),
                yuan("5"), yuan("777.77"));
        SettlementOutcome o = engine.settle(inpatient(lines(line("A", "1000.00", "10"), line("B", "50.00", "3")), before));
        Accumulators restored = before.plus(o.change()).plus(o.change().negate());
        assertEquals(before.pool("inpatient"), restored.pool("inpatient"));
        assertEquals(before.layer(LayerFund.HIFOB), restored.layer(LayerFund.HIFOB));
        assertEquals(before.inpatientAdmissions(), restored.inpatientAdmissions());
        assertEquals(before.assistancePaid(), restored.assistancePaid());
        assertEquals(before.accountBalance(), restored.accountBalance());
    }

    @Test
    void theExplanationNamesVersionsDeductibleTiersAndFunds() {
        List<String> why = engine.settle(inpatient(lines(line("A", "1000.00", "12")), fresh)).explanation();
        String all = String.join("\n", why);
        assertTrue(all.contains("policy 630000 test version t1"), all);
        assertTrue(all.contains("catalogue v1 (test-catalogue"), all);
        assertTrue(all.contains("deductible per admission at level 2: 1000.00"), all);
        assertTrue(all.contains("tier 1 [0.00, 10000.00)"), all);
        assertTrue(all.contains("tier 2 [10000.00, ∞)"), all);
        assertTrue(all.contains("basic fund (hifp_pay) 9000.00"), all);
    }

    @Test
    void theDetailLinesNameEachFundThatPaid() {
        SettlementOutcome o = engine.settle(inpatient(lines(line("A", "1000.00", "10")), fresh));
        assertEquals(List.of("310100", "310200"), o.details().stream().map(d -> d.fundPayType()).toList());
        assertEquals(yuan("7200.00"), o.details().get(0).fundPayamt());
    }

    @Test
    void theFastPriceTimesQuantityCheckAgreesWithTheBigDecimalReference() {
        java.util.Random random = new java.util.Random(11L);
        for (int i = 0; i < 200_000; i++) {
            java.math.BigDecimal p = java.math.BigDecimal.valueOf(random.nextInt(10_000_000), random.nextInt(7));
            java.math.BigDecimal q = java.math.BigDecimal.valueOf(1 + random.nextInt(100_000), random.nextInt(4));
            Money a = Money.ofYuan(p.multiply(q).setScale(2, java.math.RoundingMode.HALF_UP)).plus(Money.ofFen(random.nextInt(5) - 2));
            boolean reference = a.toYuan().subtract(p.multiply(q)).abs().compareTo(ItemClassifier.TOLERANCE) <= 0;
            assertEquals(reference, ItemClassifier.agrees(a, p, q), a + " vs " + p + " × " + q);
        }
    }
}
