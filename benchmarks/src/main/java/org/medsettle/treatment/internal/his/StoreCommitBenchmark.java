package org.medsettle.treatment.internal.his;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.store.internal.StoreComponent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The store's settlement commit on embedded Derby in a directory, durable (the default: the log is forced at
 * commit): in one transaction the settlement moves from PENDING to SETTLED, the visit to SETTLED, the answer is
 * kept under its msgid and the notice goes into the outbox — what a 2304 commits at the treatment node. Run with
 * several threads ({@code -t}) to see what group commit gives.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreCommitBenchmark {

    private Path dir;
    private EmbeddedDataSource dataSource;
    private StoreComponent store;
    private final AtomicLong serial = new AtomicLong();
    private SettlementAmounts amounts;
    private String answer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("medsettle-commit");
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.resolve("db").toString());
        dataSource.setCreateDatabase("create");
        store = new StoreComponent(dataSource);
        Money m = Money.ofYuan("1234.56");
        amounts = new SettlementAmounts(m, m, m, m, m, m, m, new BigDecimal("0.8123"), m, m, m, m, m, m, m, m, m, m, m);
        answer = TreatmentStore.zip(new byte[1200]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        EmbeddedDataSource stop = new EmbeddedDataSource();
        stop.setDatabaseName(dir.resolve("db").toString());
        stop.setShutdownDatabase("shutdown");
        try {
            stop.getConnection().close();
        } catch (java.sql.SQLException expected) {
            // Derby answers a shutdown with an exception
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes a visit and its PENDING settlement (not measured as the commit: see {@link #commitASettlement}). */
    private String[] prepare() {
        long n = serial.incrementAndGet();
        String mdtrtId = "M" + n;
        String setlId = "S" + n;
        Instant now = Instant.now();
        LocalDateTime time = LocalDateTime.now();
        store.inTransaction("prepare", c -> {
            TreatmentStore.insertVisit(c, new Rows.Visit(mdtrtId, "P" + n, "H33030000001", "310", "21", time,
                    Optional.of(time), Admdvs.of("630000"), Admdvs.of("330000"), "ZY", "DISCHARGED", Optional.empty(),
                    "A" + n, Optional.empty(), Optional.empty()), now);
            TreatmentStore.insertSettlement(c, new Rows.Settlement(setlId, "SETTLEMENT", Optional.empty(), "PENDING",
                    mdtrtId, "P" + n, "x", "H33030000001", Admdvs.of("630000"), "310", "1101", "21", "B" + n, time, 2026,
                    1, amounts, "[]", "A=1;M=0;B=0"), now);
            return null;
        });
        return new String[] {mdtrtId, setlId, "C" + n};
    }

    @Benchmark
    public boolean commitASettlement() {
        String[] ids = prepare();
        Instant now = Instant.now();
        return store.inTransaction("commit", c -> {
            TreatmentStore.moveSettlement(c, ids[1], "PENDING", "SETTLED", now);
            TreatmentStore.moveVisit(c, ids[0], "DISCHARGED", "SETTLED", "21", null, false, ids[1], ids[2], now);
            TreatmentStore.recordMessage(c, ids[2], "H33030000001", "2304", "0".repeat(64), "0", answer, now, false);
            // the notice, written by the link's code on the settlement's connection (NationalLink.enqueue)
            org.medsettle.link.internal.OutboxWrites.write(c, new HubMessage("CONFIRM-" + ids[1], "CONFIRM", Admdvs.of("330000"), Admdvs.of("630000"),
                    "{\"setl_id\":\"" + ids[1] + "\"}"), now);
            return true;
        });
    }
}
