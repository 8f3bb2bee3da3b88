package org.medsettle.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The performance targets (issue 15; the specification's quality.md) for one measured step of the load driver, and
 * whether the step met each: on one 2-core machine with the hub, the insured node and the driver on it,
 * <ul>
 *   <li>settlements (2304 of 30 lines): at least 1,000 per second, p99 at most 50 ms, at most 1.8 ms of CPU per
 *       settlement summed over every process;</li>
 *   <li>uploads (2301 of 30 lines): at least 30,000 fee lines per second;</li>
 *   <li>whole stays: at least 500 per second.</li>
 * </ul>
 */
final class Targets {

    static final double SETTLEMENTS_PER_SECOND = 1_000;
    static final long SETTLEMENT_P99_MILLIS = 50;
    static final double CPU_MS_PER_SETTLEMENT = 1.8;
    static final double FEE_LINES_PER_SECOND = 30_000;
    static final double STAYS_PER_SECOND = 500;

    /** One target: what it asks, what the step measured, and whether that meets it. */
    record Check(String target, String measured, boolean met) {
        @Override
        public String toString() {
            return target + ": " + (met ? "met" : "NOT met") + " (" + measured + ")";
        }
    }

    private Targets() {
    }

    /**
     * The checks of a step of {@code flow}.
     *
     * @param cpuPercent each process's CPU over the step (100 = one core)
     */
    static List<Check> of(LoadDriver.Flow flow, double perSecond, double linesPerSecond, long p99Millis,
                          Map<String, Double> cpuPercent) {
        List<Check> checks = new ArrayList<>();
        switch (flow) {
            case SETTLEMENTS -> {
                checks.add(new Check("≥ 1,000 settlements/s", String.format("%.1f", perSecond),
                        perSecond >= SETTLEMENTS_PER_SECOND));
                checks.add(new Check("2304 p99 ≤ 50 ms", p99Millis + " ms", p99Millis <= SETTLEMENT_P99_MILLIS));
                double cpu = cpuMsPerOperation(cpuPercent, perSecond);
                checks.add(new Check("≤ 1.8 ms CPU per settlement, all processes",
                        cpuPercent.isEmpty() || perSecond <= 0 ? "not measured" : String.format("%.2f ms", cpu),
                        !cpuPercent.isEmpty() && perSecond > 0 && cpu <= CPU_MS_PER_SETTLEMENT));
            }
            case UPLOADS -> checks.add(new Check("≥ 30,000 fee lines/s", String.format("%.0f", linesPerSecond),
                    linesPerSecond >= FEE_LINES_PER_SECOND));
            case STAYS -> checks.add(new Check("≥ 500 whole stays/s", String.format("%.1f", perSecond),
                    perSecond >= STAYS_PER_SECOND));
        }
        return checks;
    }

    /** CPU time of all processes per operation, in ms: the sum of their CPU shares over the operations per second. */
    static double cpuMsPerOperation(Map<String, Double> cpuPercent, double perSecond) {
        double total = cpuPercent.values().stream().mapToDouble(Double::doubleValue).sum();
        return perSecond <= 0 ? Double.NaN : total * 10 / perSecond;
    }
}
