package org.medsettle.api.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A check that a bundle's own records and the ledger agree (e.g. every settled or reversed settlement has exactly
 * its entries), run by {@code medsettle:ledger-check} and in {@code medsettle:health}. Implemented by the bundle that
 * owns the records; it may read the ledger's tables ({@code ledger_posting}, {@code ledger_entry}) but never writes
 * them.
 */
public interface LedgerCheck {

    /** What it checks, e.g. "settlements at the place of treatment". */
    String name();

    /** The differences found, at most {@code limit} of them, each naming what differs; empty if none. */
    List<String> problems(Connection readOnly, int limit) throws SQLException;
}
