package org.medsettle.console.internal;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.Money;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.policy.Benefit;
import org.medsettle.api.policy.InsurancePolicy;
import org.medsettle.api.policy.Layer;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.Segment;
import org.medsettle.api.policy.Tier;

/** A policy as tables: reductions, cap pools, benefits (deductibles, tiers), layers, medical assistance. */
final class PolicyTables {

    private PolicyTables() {
    }

    static void print(Policy policy, PrintStream out) {
        out.println(policy.admdvs() + " " + policy.name() + ", version " + policy.version() + ", in force from " + policy.effectiveFrom());
        out.println();
        ShellTable reductions = new ShellTable();
        reductions.column("Filing category");
        reductions.column("Cross-province reduction").alignRight();
        new TreeMap<>(policy.ratioReduction()).forEach((k, v) -> reductions.addRow().addContent(k, ratio(v)));
        reductions.print(out);
        for (InsuranceType type : InsuranceType.values()) {
            InsurancePolicy ip = policy.insuranceTypes().get(type);
            if (ip == null) {
                continue;
            }
            out.println();
            out.println("insutype " + type.code() + " (" + (type == InsuranceType.EMPLOYEE ? "employees 城镇职工" : "residents 城乡居民") + ")");
            ShellTable pools = new ShellTable();
            pools.column("Cap pool");
            pools.column("Annual cap").alignRight();
            new TreeMap<>(ip.capPools()).forEach((k, v) -> pools.addRow().addContent(k, v));
            pools.print(out);
            ShellTable benefits = new ShellTable();
            benefits.column("med_type");
            benefits.column("Pool");
            benefits.column("Deductible");
            benefits.column("L1").alignRight();
            benefits.column("L2").alignRight();
            benefits.column("L3").alignRight();
            benefits.column("Repeat").alignRight();
            benefits.column("Tiers (upTo: in service / retired)");
            for (Map.Entry<MedicalType, Benefit> e : new TreeMap<>(ip.benefits()).entrySet()) {
                Benefit b = e.getValue();
                benefits.addRow().addContent(e.getKey().code(), b.capPool(), b.deductibleMode().name().toLowerCase(java.util.Locale.ROOT),
                        b.deductible().get(1), b.deductible().get(2), b.deductible().get(3), ratio(b.repeatAdmissionFactor()), tiers(b.tiers()));
            }
            benefits.print(out);
            if (!ip.layers().isEmpty()) {
                ShellTable layers = new ShellTable();
                layers.column("Layer");
                layers.column("insutype");
                layers.column("med_type");
                layers.column("Threshold").alignRight();
                layers.column("Annual cap").alignRight();
                layers.column("Segments (upTo: ratio)");
                for (Layer l : ip.layers()) {
                    layers.addRow().addContent(l.fund().key(), codes(l.appliesTo().stream().map(InsuranceType::code).toList()),
                            codes(l.medTypes().stream().map(MedicalType::code).toList()), l.threshold(), l.annualCap(), segments(l.segments()));
                }
                layers.print(out);
            }
        }
        if (!policy.medicalAssistance().categories().isEmpty()) {
            out.println();
            out.println("medical assistance on med_type " + codes(policy.medicalAssistance().medTypes().stream().map(MedicalType::code).toList()));
            ShellTable assistance = new ShellTable();
            assistance.column("Category");
            assistance.column("Ratio").alignRight();
            assistance.column("Annual cap").alignRight();
            new TreeMap<>(policy.medicalAssistance().categories()).forEach((k, v) ->
                    assistance.addRow().addContent(k.code(), ratio(v.ratio()), v.annualCap()));
            assistance.print(out);
        }
        policy.treatmentDifferenceTopUp().ifPresent(t -> out.println("top-up of the treatment difference (待遇补差): "
                + ratio(t.ratio()) + " of what manual reimbursement at home would pay more, at most "
                + t.maxPerSettlement() + " per settlement, on med_type " + (t.medTypes().isEmpty() ? "any"
                : codes(t.medTypes().stream().map(MedicalType::code).sorted().toList())) + ", paid after the clearing"));
    }

    static String tiers(List<Tier> tiers) {
        return tiers.stream().map(t -> t.upTo().map(Money::toString).orElse("rest") + ": " + ratio(t.inService()) + " / " + ratio(t.retired()))
                .collect(Collectors.joining("; "));
    }

    static String segments(List<Segment> segments) {
        return segments.stream().map(s -> s.upTo().map(Money::toString).orElse("rest") + ": " + ratio(s.ratio()))
                .collect(Collectors.joining("; "));
    }

    private static String codes(List<String> codes) {
        return codes.stream().sorted().collect(Collectors.joining(","));
    }

    static String ratio(BigDecimal ratio) {
        return ratio.stripTrailingZeros().scale() < 2 ? ratio.setScale(2).toPlainString() : ratio.stripTrailingZeros().toPlainString();
    }
}
