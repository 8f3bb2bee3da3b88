package org.medsettle.insured.internal;

import java.nio.file.Path;
import java.time.Clock;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.ledger.internal.LedgerService;
import org.medsettle.store.internal.StoreComponent;

/**
 * The insured node's ledger check at scale: {@link Ledger#verify()} with {@link InsuredLedgerCheck} on an insured
 * node's database written before (e.g. ClearingAtScale's {@code node-630000}), twice. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.insured.internal.InsuredLedgerAtScale <database>}
 */
public final class InsuredLedgerAtScale {

    private InsuredLedgerAtScale() {
    }

    public static void main(String[] args) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(Path.of(args[0]).toString());
        StoreComponent store = new StoreComponent(ds);
        LedgerService ledger = new LedgerService(store, Clock.systemUTC());
        ledger.addCheck(new InsuredLedgerCheck());
        for (int run = 1; run <= 2; run++) {
            Ledger.Report r = ledger.verify();
            System.out.printf("check %d: %,d postings, %,d entries, sum %d, %d problem(s), %,d ms%n", run, r.postings(),
                    r.entries(), r.sum(), r.problems().size(), r.millis());
            r.problems().stream().limit(5).forEach(p -> System.out.println("  " + p));
            r.checks().forEach(ch -> System.out.println("  checked: " + ch));
        }
    }
}
