package org.medsettle.treatment.internal.his;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.his.VisitFees;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.supervision.internal.SupervisionService;

/**
 * What the supervision rules' look-up costs a settlement as the person's history grows (issue 15): a person with
 * {@code h} settled visits (30 fee lines each, every visit on days of its own) settles one more; the rules are run
 * on it ({@link SupervisionService#check}, in a read transaction as the 2304 runs them). Since treatment schema V6
 * the look-up reads the person's visits through ranges of two indexes and reads only those that can meet the settled
 * one (not discharged, discharged since its admission, billed in its days): here none of the earlier visits can, so
 * the cost should not grow with the history (before V6 every visit of the person was read and tested; before V3
 * every line of every settled visit too). Derby on disk; the CPU per check
 * of this process and the wall time. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.treatment.internal.his.SupervisionHistoryCost
 * [histories, e.g. 5,20,100,400] [checks per measurement]}
 */
public final class SupervisionHistoryCost {

    private SupervisionHistoryCost() {
    }

    public static void main(String[] args) throws Exception {
        String[] histories = (args.length > 0 ? args[0] : "5,20,100,400").split(",");
        int checks = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path dir = Files.createTempDirectory("medsettle-supervision-history");
        StoreComponent store = CommitCost.onDisk(dir);
        store.applyOwnSchema(HisService.class.getClassLoader(), "db/treatment", "medsettle-treatment");
        store.applyOwnSchema(SupervisionService.class.getClassLoader(), "db/supervision", "medsettle-supervision");
        Catalogue catalogue = new Catalogue() {
            public Optional<CatalogueEntry> lookup(String medListCodg, java.time.LocalDate date) {
                return Optional.empty();
            }

            public String activeVersion() {
                return "benchmark";
            }
        };
        SupervisionService supervision = SupervisionService.of(store, store, catalogue, Clock.systemUTC());
        supervision.modified(Map.of());
        System.out.printf("%8s %28s%n", "history", "µs CPU / wall per check");
        int person = 0;
        for (String h : histories) {
            int history = Integer.parseInt(h.trim());
            String psnNo = String.format("P%09d", ++person);
            String current = write(store, psnNo, history);
            double[] cost = measure(store, supervision, current, checks);
            System.out.printf("%8d %17.0f / %8.0f%n", history, cost[0], cost[1]);
        }
        System.out.println("database: " + dir + " (delete it when done)");
        System.exit(0);
    }

    /** The person's {@code history} settled visits and the visit being settled; answers the latter's id. */
    private static String write(StoreComponent store, String psnNo, int history) {
        LocalDateTime day0 = LocalDateTime.of(2020, 1, 1, 9, 0);
        for (int v = 0; v <= history; v++) {
            int visit = v;
            LocalDateTime begin = day0.plusDays(3L * v);
            String mdtrtId = psnNo + "-" + v;
            store.inTransaction("visit " + mdtrtId, c -> {
                TreatmentStore.insertVisit(c, new Rows.Visit(mdtrtId, psnNo, "H33030000001", "310", "21", begin,
                        Optional.of(begin.plusDays(2)), Admdvs.of("630000"), Admdvs.of("330000"), "ZY" + visit,
                        visit < history ? "SETTLED" : "DISCHARGED", Optional.empty(), "A" + mdtrtId, Optional.empty(),
                        Optional.empty(), 0, false), Instant.now());
                List<VisitFees.Line> fees = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    Money amount = Money.ofYuan("12.50");
                    fees.add(new VisitFees.Line(mdtrtId, String.format("%04d", i), "C" + (i % 12), "H" + i,
                            begin.plusHours(i), new BigDecimal("12.50"), BigDecimal.ONE, amount, Money.ZERO, Money.ZERO,
                            Money.ZERO, amount, "01", Optional.empty(), "ACTIVE", "F" + mdtrtId));
                }
                TreatmentStore.lockVisitFees(c, mdtrtId, Optional.of(begin), Optional.of(begin.plusHours(29)));
                TreatmentStore.putFees(c, mdtrtId, "F" + mdtrtId, fees, List.of());
                return null;
            });
        }
        return psnNo + "-" + history;
    }

    /** CPU and wall microseconds per check, after as many checks to warm up. */
    private static double[] measure(StoreComponent store, SupervisionService supervision, String mdtrtId, int checks) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LocalDateTime asOf = LocalDateTime.of(2030, 1, 1, 0, 0);
        double[] result = new double[2];
        for (int round = 0; round < 2; round++) {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < checks; i++) {
                store.inTransaction("check", c -> supervision.check(c, mdtrtId, asOf));
            }
            result[0] = (os.getProcessCpuTime() - cpu0) / 1e3 / checks;
            result[1] = (System.nanoTime() - t0) / 1e3 / checks;
        }
        return result;
    }
}
