package org.medsettle.api.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The ledger (tables {@code ledger_posting}, {@code ledger_entry}, which the ledger bundle alone writes): postings
 * are written in the caller's transaction, so that a settlement and its entries are committed together or not at
 * all; nothing is ever changed or deleted.
 */
public interface Ledger {

    /**
     * Writes {@code posting} within {@code transaction} (the caller commits or rolls back).
     *
     * @throws SQLException on a database failure, or if a posting of that kind and reference exists (a unique
     *                      constraint: a settlement posts once)
     */
    void post(Connection transaction, Posting posting) throws SQLException;

    /**
     * The posting of {@code kind} for {@code reference}, read within {@code transaction}, if there is one: what a
     * correction or an undo takes back exactly ({@link Posting#opposite}).
     */
    java.util.Optional<Posting> posted(Connection transaction, String kind, String reference) throws SQLException;

    /** Every account with its balance (fen) and number of entries, by name; {@code prefix} filters ("" all). */
    List<Balance> balances(String prefix);

    /** Runs every check now (the ledger's own and each {@link LedgerCheck} registered). */
    Report verify();

    /** An account's balance. */
    record Balance(String account, long fen, long entries) {
    }

    /**
     * What a check found.
     *
     * @param problems  each a line an operator can act on; empty: the ledger is consistent
     * @param postings  postings in the ledger
     * @param entries   entries in the ledger
     * @param sum       the sum of all entries (0)
     * @param millis    how long the check took
     * @param checks    the names of the checks run
     */
    record Report(List<String> problems, long postings, long entries, long sum, long millis, List<String> checks) {
        public Report {
            problems = List.copyOf(problems);
            checks = List.copyOf(checks);
        }
    }
}
