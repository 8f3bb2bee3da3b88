package org.medsettle.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.LayerAccumulator;
import org.medsettle.api.settlement.PoolAccumulator;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;
import org.medsettle.engine.internal.Reference;
import org.medsettle.engine.internal.RulesEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The settlement math alone (quality.md target: ≥ 200,000 visits per second per core): one cross-province
 * inpatient visit of 30 fee lines against the Zhejiang reference catalogue and the Qinghai reference policy,
 * mid-year (repeat admission, tiers and the large-amount layer in play), including the catalogue look-ups.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    private final RulesEngine engine = new RulesEngine();
    private SettlementInput input;

    @Setup
    public void setUp() {
        List<FeeLine> items = thirtyLines();
        Accumulators midYear = new Accumulators(Map.of("inpatient", new PoolAccumulator(Money.ofYuan("18000"),
                Money.ofYuan("14000"), Money.ZERO)), 1, Map.of(LayerFund.HIFOB, new LayerAccumulator(Money.ofYuan("15000"),
                Money.ZERO)), Money.ZERO, Money.ofYuan("5000"));
        input = new SettlementInput(Reference.policy("630000"), Reference.catalogue("330000"), InsuranceType.EMPLOYEE, false,
                Assistance.NONE, FilingCategory.REFERRAL, MedicalType.INPATIENT, 3, LocalDate.of(2026, 6, 20), true, items, midYear);
    }

    @Benchmark
    public SettlementOutcome settleAThirtyLineInpatientVisit() {
        return engine.settle(input);
    }

    /** Ten lines each of classes A, B and C from the reference catalogue, half of the limited ones above their limit. */
    static List<FeeLine> thirtyLines() {
        List<FeeLine> lines = new ArrayList<>();
        int[] perClass = new int[3];
        try (InputStream in = EngineBenchmark.class.getResourceAsStream("/reference/catalogues/330000.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null && lines.size() < 30; line = reader.readLine()) {
                String[] f = line.strip().split(",", -1);
                int cls = "ABC".indexOf(f[3]);
                if (cls < 0 || perClass[cls] == 10 || !"2020-01-01".equals(f[6])) {
                    continue;
                }
                perClass[cls]++;
                BigDecimal price = f[5].isEmpty() ? new BigDecimal("123.45")
                        : new BigDecimal(f[5]).multiply(lines.size() % 2 == 0 ? new BigDecimal("1.10") : BigDecimal.ONE)
                                .setScale(2, RoundingMode.HALF_UP);
                BigDecimal count = BigDecimal.valueOf(1 + lines.size() % 4);
                lines.add(new FeeLine(String.format("%04d", lines.size() + 1), f[0], LocalDate.of(2026, 6, 10).atTime(9, lines.size()),
                        price, count, Money.ofYuan(price.multiply(count).setScale(2, RoundingMode.HALF_UP))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.size() != 30) {
            throw new IllegalStateException("the reference catalogue gave " + lines.size() + " lines, not 30");
        }
        return lines;
    }
}
