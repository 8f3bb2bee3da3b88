package org.medsettle.engine.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.medsettle.api.Money;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.policy.AssistanceRule;
import org.medsettle.api.policy.Benefit;
import org.medsettle.api.policy.DeductibleMode;
import org.medsettle.api.policy.InsurancePolicy;
import org.medsettle.api.policy.Layer;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.ReductionCategory;
import org.medsettle.api.policy.Segment;
import org.medsettle.api.policy.Tier;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.FundPayment;
import org.medsettle.api.settlement.ItemSplit;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.PoolAccumulator;
import org.medsettle.api.settlement.SettlementEngine;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;
import org.medsettle.api.settlement.SettlementRefusedException;

/**
 * settlement-rules.md, step by step: items against the catalogue, the basic fund (deductible, tiers on the
 * pool's cumulative axis, cross-province reduction, annual cap), the further layers, medical assistance, the
 * personal account and cash. Every ratio product is rounded half-up to the fen where it is computed.
 */
public final class RulesEngine implements SettlementEngine {

    private static final String ACCOUNT_FUND = "310200";

    private static List<String> render(List<Supplier<String>> why) {
        List<String> lines = new ArrayList<>(why.size());
        why.forEach(line -> lines.add(line.get()));
        return lines;
    }

    @Override
    public List<ItemSplit> classify(List<FeeLine> items, Catalogue catalogue) {
        return ItemClassifier.classify(items, catalogue);
    }

    @Override
    public SettlementOutcome settle(SettlementInput in) {
        Policy policy = in.policy();
        InsurancePolicy ip = policy.forInsuranceType(in.insuranceType()).orElseThrow(() -> new SettlementRefusedException(
                "insutype", "the policy of insured province " + policy.admdvs() + " (" + policy.version()
                        + ") has no insurance type " + in.insuranceType().code()));
        MedicalType medType = in.medicalType();
        Benefit benefit = ip.benefitFor(medType).orElseThrow(() -> new SettlementRefusedException("med_type",
                "med_type " + medType.code() + " is not settled directly for insutype " + in.insuranceType().code()
                        + " under the policy of " + policy.admdvs() + " (" + policy.version() + ")"));
        Money deductibleBase = benefit.deductible().get(in.hospitalLevel());
        if (deductibleBase == null) {
            throw new SettlementRefusedException("hosp_lv", "hospital level must be 1, 2 or 3: " + in.hospitalLevel());
        }
        Money cap = ip.capPools().get(benefit.capPool());
        Accumulators acc = in.accumulators();
        List<Supplier<String>> why = new ArrayList<>();
        why.add(() -> "policy " + policy.admdvs() + " " + policy.name() + " version " + policy.version() + " (in force from "
                + policy.effectiveFrom() + "); catalogue " + in.catalogue().activeVersion());

        // 1. Items.
        List<ItemSplit> items = ItemClassifier.classify(in.items(), in.catalogue());
        Money medfee = Money.ZERO;
        Money fulamt = Money.ZERO;
        Money overlmt = Money.ZERO;
        Money preselfpay = Money.ZERO;
        Money inscp = Money.ZERO;
        for (ItemSplit s : items) {
            medfee = medfee.plus(s.amount());
            fulamt = fulamt.plus(s.fulamtOwnpay());
            overlmt = overlmt.plus(s.overlmtSelfpay());
            preselfpay = preselfpay.plus(s.preselfpay());
            inscp = inscp.plus(s.inscp());
        }
        Money total = medfee;
        Money selfPaid = fulamt;
        Money overLimits = overlmt;
        Money firstShare = preselfpay;
        Money inScope = inscp;
        why.add(() -> "items: " + items.size() + " lines, total " + total + " = self-paid (not in catalogue, not valid or class C) "
                + selfPaid + " + over price limits " + overLimits + " + class B first share " + firstShare + " + in scope " + inScope);

        // 2. Basic fund.
        PoolAccumulator pool = acc.pool(benefit.capPool());
        Money due;
        if (benefit.deductibleMode() == DeductibleMode.PER_ADMISSION) {
            boolean repeat = acc.inpatientAdmissions() > 0;
            due = repeat ? deductibleBase.times(benefit.repeatAdmissionFactor()) : deductibleBase;
            Money dueNow = due;
            why.add(() -> "deductible per admission at level " + in.hospitalLevel() + ": " + deductibleBase
                    + (repeat ? " × repeat-admission factor " + benefit.repeatAdmissionFactor().toPlainString() + " ("
                    + acc.inpatientAdmissions() + " earlier inpatient admission(s) this year) = " + dueNow : ""));
        } else {
            due = Axis.atLeastZero(deductibleBase.minus(pool.annualDeductiblePaid()));
            Money dueNow = due;
            why.add(() -> "annual deductible at level " + in.hospitalLevel() + ": " + deductibleBase + " − already paid this year "
                    + pool.annualDeductiblePaid() + " = " + dueNow);
        }
        Money dedc = due.min(inscp);
        if (dedc.compareTo(due) < 0) {
            Money dueNow = due;
            why.add(() -> "deductible larger than the in-scope amount: charged " + dedc + " of " + dueNow);
        }
        Money c = pool.inscp();
        Money paidFrom = c.plus(dedc);
        Money paidTo = c.plus(inscp);
        ReductionCategory category = ReductionCategory.of(in.filingCategory());
        BigDecimal reduction = policy.reduction(category);
        Money tiersSum = Money.ZERO;
        Money tierFrom = Money.ZERO;
        for (int i = 0; i < benefit.tiers().size(); i++) {
            Tier tier = benefit.tiers().get(i);
            Money overlap = Axis.overlap(tierFrom, tier.upTo(), paidFrom, paidTo);
            if (overlap.isPositive()) {
                BigDecimal ratio = tier.ratio(in.retired());
                BigDecimal effective = Axis.atLeastZero(ratio.subtract(reduction));
                Money pay = overlap.times(effective);
                tiersSum = tiersSum.plus(pay);
                int number = i + 1;
                Money start = tierFrom;
                why.add(() -> "tier " + number + " [" + start + ", " + tier.upTo().map(Money::toString).orElse("∞") + ") of pool "
                        + benefit.capPool() + ": " + overlap + " × (" + ratio.toPlainString() + " − " + category + " reduction "
                        + reduction.toPlainString() + " = " + effective.toPlainString() + ") = " + pay);
            }
            tierFrom = tier.upTo().orElse(tierFrom);
        }
        Money capLeft = Axis.atLeastZero(cap.minus(pool.hifpPaid()));
        Money hifp = tiersSum.min(capLeft);
        if (hifp.compareTo(tiersSum) < 0) {
            Money computed = tiersSum;
            why.add(() -> "annual cap of pool " + benefit.capPool() + " reached: cap " + cap + ", paid before " + pool.hifpPaid()
                    + ", so the basic fund pays " + hifp + " instead of " + computed);
        }
        why.add(() -> "basic fund (hifp_pay) " + hifp + " on the visit's axis [" + c + ", " + paidTo + ") of pool " + benefit.capPool());
        Money afterDeductible = inscp.minus(dedc);
        BigDecimal poolProp = afterDeductible.isZero() ? BigDecimal.ZERO.setScale(4)
                : hifp.toYuan().divide(afterDeductible.toYuan(), 4, RoundingMode.HALF_UP);

        // 3. Further layers on the personal in-scope share.
        Money remaining = inscp.minus(hifp);
        Map<LayerFund, Money> layerPaid = new EnumMap<>(LayerFund.class);
        Map<LayerFund, LayerAccumulator> layerChange = new EnumMap<>(LayerFund.class);
        for (Layer layer : ip.layers()) {
            if (!layer.covers(in.insuranceType(), medType)) {
                continue;
            }
            LayerAccumulator before = acc.layer(layer.fund()).plus(layerChange.getOrDefault(layer.fund(), LayerAccumulator.ZERO));
            Money share = remaining;
            Money from = before.axis().max(layer.threshold());
            Money to = before.axis().plus(share);
            Money sum = Money.ZERO;
            Money segmentFrom = Money.ZERO;
            for (Segment segment : layer.segments()) {
                Money overlap = Axis.overlap(segmentFrom, segment.upTo(), from, to);
                sum = sum.plus(overlap.times(segment.ratio()));
                segmentFrom = segment.upTo().orElse(segmentFrom);
            }
            Money layerCapLeft = Axis.atLeastZero(layer.annualCap().minus(before.paid()));
            Money pay = sum.min(layerCapLeft);
            Money computed = sum;
            why.add(() -> layer.fund().key() + " layer: share " + share + " on its axis [" + before.axis() + ", " + to + "), threshold "
                    + layer.threshold() + (to.compareTo(layer.threshold()) <= 0 ? " not reached" : "") + ", pays " + pay
                    + (pay.compareTo(computed) < 0 ? " (annual cap " + layer.annualCap() + " reached)" : ""));
            layerPaid.merge(layer.fund(), pay, Money::plus);
            layerChange.merge(layer.fund(), new LayerAccumulator(share, pay), LayerAccumulator::plus);
            remaining = remaining.minus(pay);
        }
        Money hifmi = layerPaid.getOrDefault(LayerFund.HIFMI, Money.ZERO);
        Money hifob = layerPaid.getOrDefault(LayerFund.HIFOB, Money.ZERO);

        // Medical assistance.
        Money maf = Money.ZERO;
        if (in.assistance() != Assistance.NONE && policy.medicalAssistance().medTypes().contains(medType)) {
            AssistanceRule rule = policy.medicalAssistance().categories().get(in.assistance());
            if (rule != null) {
                Money wanted = remaining.times(rule.ratio());
                Money paid = wanted.min(Axis.atLeastZero(rule.annualCap().minus(acc.assistancePaid())));
                Money share = remaining;
                why.add(() -> "medical assistance (category " + in.assistance().code() + "): " + share + " × "
                        + rule.ratio().toPlainString() + " = " + wanted + (paid.compareTo(wanted) < 0
                        ? ", limited by the annual cap " + rule.annualCap() + " to " + paid : ""));
                maf = paid;
            }
        }

        // 4. Personal account and cash.
        Money fundSum = hifp.plus(hifmi).plus(hifob).plus(maf);
        Money psnPart = medfee.minus(fundSum);
        boolean employee = in.insuranceType() == InsuranceType.EMPLOYEE;
        Money acct = Money.ZERO;
        if (employee && in.accountUsed()) {
            acct = Axis.atLeastZero(acc.accountBalance().min(psnPart.minus(fulamt).minus(overlmt)));
        }
        Money account = acct;
        Money cash = psnPart.minus(acct);
        Money balance = employee ? acc.accountBalance().minus(acct) : Money.ZERO;
        Money funds = fundSum;
        why.add(() -> "funds " + funds + "; personal share " + psnPart + " = account " + account + " + cash " + cash
                + (employee ? "; account balance after " + balance : ""));

        SettlementAmounts amounts = new SettlementAmounts(medfee, fulamt, overlmt, preselfpay, inscp, dedc, hifp, poolProp,
                Money.ZERO, Money.ZERO, hifmi, hifob, maf, Money.ZERO, fundSum, psnPart, acct, cash, balance);

        List<FundPayment> details = new ArrayList<>();
        details.add(new FundPayment(employee ? "310100" : "390100", employee ? "职工基本医疗保险统筹基金" : "城乡居民基本医疗保险基金",
                inscp, hifp));
        for (LayerFund fund : LayerFund.values()) {
            Money paid = layerPaid.get(fund);
            if (paid != null && paid.isPositive()) {
                details.add(new FundPayment(fund.fundPayType(), fund.fundPayTypeName(), inscp, paid));
            }
        }
        if (maf.isPositive()) {
            details.add(new FundPayment("610100", "医疗救助基金", inscp, maf));
        }
        if (acct.isPositive()) {
            details.add(new FundPayment(ACCOUNT_FUND, "职工个人账户", inscp, acct));
        }

        Accumulators change = new Accumulators(
                Map.of(benefit.capPool(), new PoolAccumulator(inscp, hifp,
                        benefit.deductibleMode() == DeductibleMode.ANNUAL ? dedc : Money.ZERO)),
                medType == MedicalType.INPATIENT ? 1 : 0, layerChange, maf, acct.negate());
        return new SettlementOutcome(amounts, items, details, change, () -> render(why));
    }

}
