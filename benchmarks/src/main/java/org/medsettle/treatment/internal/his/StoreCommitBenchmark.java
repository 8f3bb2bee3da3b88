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
import org.medsettle.ledger.internal.LedgerService;
import org.medsettle.api.ledger.Posting;
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
    private byte[] answer;
    private LedgerService ledger;
    private SettlementAmounts posted;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("medsettle-commit");
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.resolve("db").toString());
        dataSource.setCreateDatabase("create");
        store = new StoreComponent(dataSource);
        store.applyOwnSchema(LedgerService.class.getClassLoader(), "db/ledger", "medsettle-ledger");
        store.applyOwnSchema(HisService.class.getClassLoader(), "db/treatment", "medsettle-treatment");
        ledger = new LedgerService(store, java.time.Clock.systemUTC());
        Money z = Money.ZERO;
        // a typical inpatient settlement's funds: the basic fund, critical illness, the personal account
        posted = new SettlementAmounts(Money.ofYuan("10986.60"), z, z, z, z, z, Money.ofYuan("6120.33"),
                new BigDecimal("0.15"), z, z, Money.ofYuan("812.00"), z, z, z, Money.ofYuan("6932.33"),
                Money.ofYuan("4054.27"), Money.ofYuan("300.00"), Money.ofYuan("3754.27"), z);
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
                    "A" + n, Optional.empty(), Optional.empty(), 0, false), now);
            TreatmentStore.insertSettlement(c, new Rows.Settlement(setlId, "SETTLEMENT", Optional.empty(), "PENDING",
                    mdtrtId, "P" + n, "x", "H33030000001", Admdvs.of("630000"), "310", "1101", "21", "B" + n, time, 2026,
                    1, amounts, "[]", "A=1;M=0;B=0"), now);
            return null;
        });
        return new String[] {mdtrtId, setlId, "C" + n};
    }

    @Benchmark
    public boolean commitASettlement() {
        return commit(false);
    }

    /** The same commit with the settlement's ledger entries (issue 12): six entries, one posting, same transaction. */
    @Benchmark
    public boolean commitASettlementWithItsLedgerEntries() {
        return commit(true);
    }

    private boolean commit(boolean withLedger) {
        String[] ids = prepare();
        Instant now = Instant.now();
        return store.inTransaction("commit", c -> {
            if (withLedger) {
                ledger.post(c, Posting.atTreatment(Posting.SETTLED, ids[1], Admdvs.of("630000"), "H33030000001",
                        posted).orElseThrow());
            }
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
