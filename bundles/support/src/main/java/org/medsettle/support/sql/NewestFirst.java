package org.medsettle.support.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * The newest rows of a table whose key only grows (an identity: notices, audit events), newest first, without reading
 * the others. Derby scans no index backwards, so {@code ORDER BY key DESC FETCH FIRST n} read and sorted the whole
 * table (docs/stack.md, trap 67). Instead: the newest key ({@code MAX}, the key's last entry, which Derby reads
 * directly), then the rows in a window of keys above {@code newest - window}, the window widened four times a turn
 * while it holds fewer than asked — keys rolled back leave gaps, a filter (a rare type) leaves few — until it
 * covers every key.
 */
public final class NewestFirst {

    /** The first window: this many keys, or four per row asked if more. */
    static final long FIRST_WINDOW = 256;

    private NewestFirst() {
    }

    /** Reads the newest rows (at most the limit asked) whose key is above a bound, newest first. */
    @FunctionalInterface
    public interface Window<T> {
        /**
         * @param above the bound (a literal in the SQL: Derby then estimates from the index how few rows lie above
         *              it; for a parameter it assumes a third of the table and reads it all), or empty: every row
         */
        List<T> read(Connection c, OptionalLong above) throws SQLException;
    }

    /** The newest {@code limit} rows of {@code table} by {@code key}, as {@code window} reads them. */
    public static <T> List<T> read(Connection c, String table, String key, int limit, Window<T> window)
            throws SQLException {
        long newest;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(" + key + ") FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            newest = rs.getLong(1);
            if (rs.wasNull()) {
                return List.of();
            }
        }
        long size = Math.max(4L * limit, FIRST_WINDOW);
        while (true) {
            boolean whole = size >= newest;
            List<T> rows = window.read(c, whole ? OptionalLong.empty() : OptionalLong.of(newest - size));
            if (whole || rows.size() >= limit) {
                return rows;
            }
            size = size > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : size * 4;
        }
    }
}
