package org.medsettle.treatment.internal.his;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.ledger.internal.LedgerService;
import org.medsettle.store.internal.StoreComponent;

/**
 * The ledger check at scale (issue 12: "it runs in seconds on a million settlements"): writes {@code n} settlements
 * of one province pair (a tenth of them reversed) with their ledger entries into a Derby database on disk, as the
 * treatment node writes them, then times {@link Ledger#verify()} with the treatment node's
 * {@link SettlementLedgerCheck} — twice, the second run on a warm database. Not a JMH benchmark: one measurement of
 * a one-shot check. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.treatment.internal.his.LedgerAtScale [n] [dir]}
 */
public final class LedgerAtScale {

    private LedgerAtScale() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("medsettle-ledger-scale");
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("db").toString());
        ds.setCreateDatabase("create");
        StoreComponent store = new StoreComponent(ds);
        store.applyOwnSchema(LedgerService.class.getClassLoader(), "db/ledger", "medsettle-ledger");
        store.applyOwnSchema(HisService.class.getClassLoader(), "db/treatment", "medsettle-treatment");
        LedgerService ledger = new LedgerService(store, Clock.systemUTC());
        ledger.addCheck(new SettlementLedgerCheck());
        Money z = Money.ZERO;
        long start = System.nanoTime();
        int batch = 5_000;
        // n = 0: check a database written before (e.g. ClearingAtScale's node-330000)
        for (int from = 0; from < n; from += batch) {
            int first = from;
            int last = Math.min(n, from + batch);
            store.inTransaction("write settlements " + first + ".." + last, c -> {
                Instant now = Instant.now();
                LocalDateTime time = LocalDateTime.now();
                for (int i = first; i < last; i++) {
                    long hifp = 100_000 + i % 50_000;
                    SettlementAmounts a = new SettlementAmounts(Money.ofFen(hifp * 2), z, z, z, z, z, Money.ofFen(hifp),
                            BigDecimal.ZERO, z, z, Money.ofFen(i % 7 * 1_000), z, z, z,
                            Money.ofFen(hifp + i % 7 * 1_000), Money.ofFen(hifp - i % 7 * 1_000),
                            Money.ofFen(i % 3 * 500), Money.ofFen(hifp - i % 7 * 1_000 - i % 3 * 500), z);
                    String setlId = String.format("33%012d", i);
                    boolean reversed = i % 10 == 0;
                    Rows.Settlement s = new Rows.Settlement(setlId, "SETTLEMENT", Optional.empty(),
                            reversed ? "REVERSED" : "SETTLED", "M" + i, "P" + i, "x", "H33030000001",
                            Admdvs.of("630000"), "310", "1101", "21", "B" + i, time, 2026, 1, a, "[]", "{}");
                    TreatmentStore.insertSettlement(c, s, now);
                    ledger.post(c, Posting.atTreatment(Posting.SETTLED, setlId, s.insuredPlace(), s.hospital(), a)
                            .orElseThrow());
                    if (reversed) {
                        String reversalId = String.format("R3%012d", i);
                        Rows.Settlement r = new Rows.Settlement(reversalId, "REVERSAL", Optional.of(setlId), "SETTLED",
                                s.mdtrtId(), s.psnNo(), "x", s.hospital(), s.insuredPlace(), "310", "1101", "21",
                                "C" + i, time, 2026, 1, a.negatedWithBalance(z), "[]", "{}");
                        TreatmentStore.insertSettlement(c, r, now);
                        ledger.post(c, Posting.atTreatment(Posting.SETTLED, reversalId, r.insuredPlace(), r.hospital(),
                                r.amounts()).orElseThrow());
                    }
                }
                return null;
            });
            if ((last / batch) % 20 == 0 || last == n) {
                System.out.printf("%,d settlements written in %,d s%n", last, (System.nanoTime() - start) / 1_000_000_000);
            }
        }
        for (int run = 1; run <= 2; run++) {
            Ledger.Report r = ledger.verify();
            System.out.printf("check %d: %,d postings, %,d entries, sum %d, %d problem(s), %,d ms%n", run, r.postings(),
                    r.entries(), r.sum(), r.problems().size(), r.millis());
            r.problems().stream().limit(5).forEach(p -> System.out.println("  " + p));
            r.checks().forEach(ch -> System.out.println("  checked: " + ch));
        }
        System.out.println("database: " + dir);
    }
}
