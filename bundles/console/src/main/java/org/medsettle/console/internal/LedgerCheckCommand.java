package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.ledger.Ledger;

/**
 * {@code medsettle:ledger-check}: runs the ledger's check now — all entries sum to zero, every posting balances,
 * every settled, reversed, corrected, applied or undone settlement has exactly its entries — and prints what it found;
 * fails (exit status 1) on any problem.
 */
@Service
@Command(scope = "medsettle", name = "ledger-check", description = "Check the ledger now: entries sum to zero, every settlement has exactly its entries")
public class LedgerCheckCommand extends ConsoleAction {

    static final String LEDGER = "the ledger (feature medsettle-ledger)";

    @Reference(optional = true)
    Ledger ledger;

    @Override
    protected Object run() {
        Ledger.Report r = Services.require(ledger, LEDGER).verify();
        System.out.println(r.postings() + " postings, " + r.entries() + " entries, sum " + r.sum() + " fen, checked in "
                + r.millis() + " ms");
        for (String check : r.checks()) {
            System.out.println("  checked: " + check);
        }
        if (!r.problems().isEmpty()) {
            for (String p : r.problems()) {
                System.out.println("PROBLEM: " + p);
            }
            throw new IllegalStateException("the ledger check found " + r.problems().size() + " problem(s)"
                    + (r.problems().size() >= 20 ? " (at most 20 listed per check)" : ""));
        }
        System.out.println("OK");
        return null;
    }
}
