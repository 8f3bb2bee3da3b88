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
    /**
     * 64 bits of the SHA-256 of {@code text}: what a check sums (modulo 2^64) over a set of records, to compare two
     * sets in one pass each without sorting them — equal sums mean equal sets, but for a chance of 1 in 2^64.
     */
    static long digest(String text) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] h = sha.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

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
