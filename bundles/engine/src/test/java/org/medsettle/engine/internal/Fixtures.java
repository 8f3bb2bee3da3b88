package org.medsettle.engine.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.policy.AssistanceRule;
import org.medsettle.api.policy.Benefit;
import org.medsettle.api.policy.DeductibleMode;
import org.medsettle.api.policy.InsurancePolicy;
import org.medsettle.api.policy.Layer;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.policy.MedicalAssistance;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.ReductionCategory;
import org.medsettle.api.policy.Segment;
import org.medsettle.api.policy.Tier;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.SettlementInput;

/** Small, readable policies and catalogues whose numbers a test can follow by hand. */
final class Fixtures {

    static final LocalDate DAY = LocalDate.of(2026, 6, 15);

    private Fixtures() {
    }

    static Money yuan(String text) {
        return Money.ofYuan(text);
    }

    static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }

    static Tier tier(String upTo, String inService, String retired) {
        return new Tier(upTo == null ? Optional.empty() : Optional.of(yuan(upTo)), dec(inService), dec(retired));
    }

    /**
     * Employees: inpatient per admission, deductible 1000/1000/1000 (factor 0.5), tiers 0.80 up to 10000
     * then 0.90 (retired 0.85/0.95), inpatient cap {@code cap}; outpatient 11 annual deductible 500, ratio 0.5.
     * Large-amount layer hifob above 5000 at 0.80, cap 20000. Assistance A 1.0 (cap 3000) on 21.
     * Reductions: TEMPORARY 0.20, REFERRAL 0.10.
     */
    static Policy policy(String cap) {
        Benefit inpatient = new Benefit("inpatient", DeductibleMode.PER_ADMISSION,
                Map.of(1, yuan("1000"), 2, yuan("1000"), 3, yuan("1000")), dec("0.5"),
                List.of(tier("10000", "0.80", "0.85"), tier(null, "0.90", "0.95")));
        Benefit outpatient = new Benefit("outpatient", DeductibleMode.ANNUAL,
                Map.of(1, yuan("500"), 2, yuan("500"), 3, yuan("500")), BigDecimal.ONE, List.of(tier(null, "0.50", "0.60")));
        Layer hifob = new Layer(LayerFund.HIFOB, Set.of(InsuranceType.EMPLOYEE), Set.of(MedicalType.INPATIENT), yuan("5000"),
                yuan("20000"), List.of(new Segment(Optional.empty(), dec("0.80"))));
        InsurancePolicy employees = new InsurancePolicy(Map.of("inpatient", yuan(cap), "outpatient", yuan("3000")),
                Map.of(MedicalType.INPATIENT, inpatient, MedicalType.GENERAL_OUTPATIENT, outpatient), List.of(hifob));
        return new Policy(Admdvs.of("630000"), "test", "t1", LocalDate.of(2026, 1, 1),
                Map.of(ReductionCategory.TEMPORARY, dec("0.20"), ReductionCategory.REFERRAL, dec("0.10")),
                Map.of(InsuranceType.EMPLOYEE, employees),
                new MedicalAssistance(Set.of(MedicalType.INPATIENT), Map.of(Assistance.EXTREME_POVERTY,
                        new AssistanceRule(BigDecimal.ONE, yuan("3000")))));
    }

    static Policy policy() {
        return policy("100000");
    }

    /** A: class A without limit; AL: class A limited to 10.00; B: class B 20 %; C: class C; W: withdrawn after 2026-03-31; N: new from 2026-01-01. */
    static Catalogue catalogue() {
        LocalDate from = LocalDate.of(2020, 1, 1);
        return Reference.index("test-catalogue", List.of(
                new CatalogueEntry("A", "a", "drug", ChargeClass.A, BigDecimal.ZERO, Optional.empty(), from, Optional.empty()),
                new CatalogueEntry("AL", "al", "drug", ChargeClass.A, BigDecimal.ZERO, Optional.of(dec("10.00")), from, Optional.empty()),
                new CatalogueEntry("B", "b", "drug", ChargeClass.B, dec("0.20"), Optional.empty(), from, Optional.empty()),
                new CatalogueEntry("C", "c", "drug", ChargeClass.C, BigDecimal.ZERO, Optional.empty(), from, Optional.empty()),
                new CatalogueEntry("W", "w", "drug", ChargeClass.A, BigDecimal.ZERO, Optional.empty(), from,
                        Optional.of(LocalDate.of(2026, 3, 31))),
                new CatalogueEntry("N", "n", "drug", ChargeClass.A, BigDecimal.ZERO, Optional.empty(), LocalDate.of(2026, 1, 1),
                        Optional.empty())));
    }

    static FeeLine line(String code, String price, String count) {
        return line(code, price, count, DAY.atTime(10, 0));
    }

    static FeeLine line(String code, String price, String count, LocalDateTime at) {
        BigDecimal amount = dec(price).multiply(dec(count)).setScale(2, java.math.RoundingMode.HALF_UP);
        return new FeeLine("s" + code + price, code, at, dec(price), dec(count), Money.ofYuan(amount));
    }

    static List<FeeLine> lines(FeeLine... lines) {
        return new ArrayList<>(List.of(lines));
    }

    static SettlementInput inpatient(List<FeeLine> items, Accumulators acc) {
        return input(MedicalType.INPATIENT, false, FilingCategory.LONG_TERM_RESIDENT, items, acc);
    }

    static SettlementInput input(MedicalType type, boolean retired, FilingCategory category, List<FeeLine> items, Accumulators acc) {
        return new SettlementInput(policy(), catalogue(), InsuranceType.EMPLOYEE, retired, Assistance.NONE, category, type, 2,
                DAY, true, items, acc);
    }
}
