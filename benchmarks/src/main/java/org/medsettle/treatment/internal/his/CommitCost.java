package org.medsettle.treatment.internal.his;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.store.internal.StoreComponent;

/**
 * What Derby's durable commits cost a settlement (issue 15, step 2: "measure Derby's own behaviour first"): the
 * rows a 2304 writes at the treatment node, written by {@code threads} concurrent writers into embedded Derby on
 * disk for {@code seconds}, in one of three ways:
 * <ul>
 *   <li>{@code two-commits}: the pending settlement committed first (the write-ahead record that makes a kill -9
 *   between the insured place's apply and the commit recoverable), then the settlement, the visit, the kept answer
 *   and the notice (a second durable commit) — what the node does;</li>
 *   <li>{@code one-commit}: the same statements in one transaction — what the node would do without the write-ahead
 *   record;</li>
 *   <li>{@code two-commits-no-sync}: as the first with {@code derby.system.durability=test} (the log not forced at
 *   commit: <b>loses acknowledged settlements on a crash</b>, measured only to show what the forced writes cost).</li>
 * </ul>
 * Reports operations per second and the process's CPU per operation (all threads, Derby's own included). Not a JMH
 * benchmark: the CPU per operation is the figure wanted, read from the JVM once per run. Usage (one JVM per way,
 * since the durability is a system property read when Derby boots):
 * {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.treatment.internal.his.CommitCost
 * two-commits|one-commit|two-commits-no-sync [threads,...] [seconds]}
 */
public final class CommitCost {

    private CommitCost() {
    }

    public static void main(String[] args) throws Exception {
        String way = args.length > 0 ? args[0] : "two-commits";
        if (!List.of("two-commits", "one-commit", "two-commits-no-sync").contains(way)) {
            throw new IllegalArgumentException("way: two-commits, one-commit or two-commits-no-sync, not " + way);
        }
        if (way.endsWith("no-sync")) {
            System.setProperty("derby.system.durability", "test");
        }
        String[] threadCounts = (args.length > 1 ? args[1] : "1,4,16").split(",");
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path dir = Files.createTempDirectory("medsettle-commit-cost");
        StoreComponent store = onDisk(dir);
        CommitCost.Writer writer = new Writer(store, !"one-commit".equals(way));
        // warm-up: the JIT and Derby's page cache
        run(writer, 4, 10);
        System.out.printf("%s (derby.system.durability=%s), %d s per step:%n", way,
                System.getProperty("derby.system.durability", "default"), seconds);
        for (String t : threadCounts) {
            Result r = run(writer, Integer.parseInt(t.trim()), seconds);
            System.out.printf("  %2s threads: %,8.0f settlements/s, %.3f ms CPU per settlement (process), "
                    + "%.3f ms wall per settlement and thread%n", t.trim(), r.perSecond(), r.cpuMillisPerOp(),
                    r.wallMillisPerOp());
        }
        System.out.println("database: " + dir + " (delete it when done)");
        System.exit(0);
    }

    /** The real store (every base migration applied) on a new Derby database in {@code dir}/db. */
    static StoreComponent onDisk(Path dir) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        StoreComponent store = new StoreComponent(ds);
        // the treatment bundle's own columns (its settlement row is written as the node writes it)
        store.applyOwnSchema(HisService.class.getClassLoader(), "db/treatment", "medsettle-treatment");
        return store;
    }

    record Result(double perSecond, double cpuMillisPerOp, double wallMillisPerOp) {
    }

    static Result run(Writer writer, int threads, int seconds) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LongAdder ops = new LongAdder();
        CountDownLatch done = new CountDownLatch(threads);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        // each writer stops at the deadline; the step ends when the last has finished its settlement
        long deadline = t0 + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < threads; i++) {
            new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        writer.settle();
                        ops.increment();
                    }
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long n = ops.sum();
        return new Result(n / (wall / 1e9), cpu / 1e6 / n, wall / 1e6 * threads / n);
    }

    /** A settlement's rows at the treatment node, in one or two durable commits. */
    static final class Writer {
        private final StoreComponent store;
        private final boolean writeAhead;
        private final AtomicLong serial = new AtomicLong();
        private final SettlementAmounts amounts;
        private final byte[] answer;
        private final String details;

        Writer(StoreComponent store, boolean writeAhead) {
            this.store = store;
            this.writeAhead = writeAhead;
            Money m = Money.ofYuan("1234.56");
            amounts = new SettlementAmounts(m, m, m, m, m, m, m, new java.math.BigDecimal("0.8123"), m, m, m, m, m, m,
                    m, m, m, m, m);
            answer = TreatmentStore.zip(new byte[1200]);
            // a settlement's setldetail of a few funds, as stored
            details = "[" + String.join(",", java.util.Collections.nCopies(6,
                    "{\"fund_pay_type\":\"310100\",\"inscp_scp_amt\":\"1234.56\",\"fund_payamt\":\"987.65\"}")) + "]";
        }

        void settle() {
            long n = serial.incrementAndGet();
            String mdtrtId = "M" + n;
            String setlId = "S" + n;
            String msgid = "C" + n;
            LocalDateTime time = LocalDateTime.now();
            visitsUpTo(n);
            Rows.Settlement pending = new Rows.Settlement(setlId, "SETTLEMENT", Optional.empty(), "PENDING", mdtrtId,
                    "P" + n, "x", "H33030000001", Admdvs.of("630000"), "310", "1101", "21", msgid, time, 2026, 1,
                    amounts, details, "A=1;M=0;B=0");
            if (writeAhead) {
                store.inTransaction("pending", c -> {
                    TreatmentStore.insertSettlement(c, pending, Instant.now());
                    return null;
                });
                store.inTransaction("commit", c -> {
                    commit(c, mdtrtId, setlId, msgid);
                    return null;
                });
            } else {
                store.inTransaction("pending and commit", c -> {
                    TreatmentStore.insertSettlement(c, pending, Instant.now());
                    commit(c, mdtrtId, setlId, msgid);
                    return null;
                });
            }
        }

        private long visitsWritten;

        /** The discharged visits settled, written before in blocks of 5,000 (one transaction each, amortised). */
        private synchronized void visitsUpTo(long n) {
            while (visitsWritten < n) {
                long from = visitsWritten + 1;
                long to = visitsWritten + 5_000;
                LocalDateTime time = LocalDateTime.now();
                store.inTransaction("visits", c -> {
                    for (long i = from; i <= to; i++) {
                        TreatmentStore.insertVisit(c, new Rows.Visit("M" + i, "P" + i, "H33030000001", "310", "21",
                                time, Optional.of(time), Admdvs.of("630000"), Admdvs.of("330000"), "ZY", "DISCHARGED",
                                Optional.empty(), "A" + i, Optional.empty(), Optional.empty(), 0, false), Instant.now());
                    }
                    return null;
                });
                visitsWritten = to;
            }
        }

        private void commit(Connection c, String mdtrtId, String setlId, String msgid) throws SQLException {
            Instant now = Instant.now();
            TreatmentStore.moveSettlement(c, setlId, "PENDING", "SETTLED", now);
            TreatmentStore.moveVisit(c, mdtrtId, "DISCHARGED", "SETTLED", "21", null, false, setlId, msgid, now);
            TreatmentStore.recordMessage(c, msgid, "H33030000001", "2304", "0".repeat(64), "0", answer, now, false);
            org.medsettle.link.internal.OutboxWrites.write(c, new HubMessage("CONFIRM-" + setlId, "CONFIRM",
                    Admdvs.of("330000"), Admdvs.of("630000"), "{\"setl_id\":\"" + setlId + "\"}"), now);
        }
    }
}
