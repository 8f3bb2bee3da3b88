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

    /** What one row of a check's query says is wrong. */
    @FunctionalInterface
    interface Row {
        String problem(java.sql.ResultSet row) throws SQLException;
    }

    /** Adds to {@code problems} a line per row of {@code sql} (each row a difference), at most {@code limit}. */
    static void rows(Connection c, int limit, List<String> problems, String sql, Row row) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problems.add(row.problem(rs));
                }
            }
        }
    }
}
