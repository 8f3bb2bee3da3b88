package org.medsettle.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.settlement.ItemSplit;
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
 * Fee-line classification as a 2301 upload answers it (quality.md: ≥ 30,000 fee lines per second uploaded):
 * 30 lines against the Zhejiang reference catalogue, look-ups included. Throughput is in uploads of 30 lines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassificationBenchmark {

    private final RulesEngine engine = new RulesEngine();
    private List<FeeLine> lines;
    private Catalogue catalogue;

    @Setup
    public void setUp() {
        lines = EngineBenchmark.thirtyLines();
        catalogue = Reference.catalogue("330000");
    }

    @Benchmark
    public List<ItemSplit> classifyThirtyLines() {
        return engine.classify(lines, catalogue);
    }
}
