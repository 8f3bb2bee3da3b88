package org.medsettle.clearing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.medsettle.api.Admdvs;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.clearing.ClearingBook.Side;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;
import org.medsettle.clearing.internal.ClearingMessages.Line;

/**
 * The lines of a node's report, read from the records of the bundles that own them (reads only): its claims from the
 * settlements committed at the place of treatment (table {@code settlement}), its applications from what its insured
 * place applied (table {@code insured_settlement} and their {@code APPLIED}/{@code UNDONE} ledger postings, which
 * hold every fund's amount).
 *
 * <p>A line's month is, in China time: for a settlement ({@code +}) its {@code setl_time}, which both sides hold;
 * for a reversal ({@code -}) the reversal's {@code setl_time} at the place of treatment and the moment of the undo at
 * the insured place (a few milliseconds earlier); for a correction (2601) its moment. Lines with no amount, lines
 * between a province and itself, and applications taken back before they were committed (released) are not
 * reported.
 */
final class NodeLines {

    static final ZoneId CHINA = BusinessClock.ZONE;
    private static final String FUNDS = "hifp_pay, cvlserv_pay, hifes_pay, hifmi_pay, hifob_pay, maf_pay, oth_pay, "
            + "acct_pay";

    private NodeLines() {
    }

    /**
     * Every line of {@code self}'s claims and applications whose month is after {@code after} (all if null) and not
     * after {@code through}, to {@code sink}.
     */
    static void read(Connection c, Admdvs self, YearMonth after, YearMonth through, Consumer<Line> sink)
            throws SQLException {
        read(c, self, after, through, null, sink);
    }

    /**
     * As {@link #read(Connection, Admdvs, YearMonth, YearMonth, Consumer)}, and also the late applications: settlements
     * of a month reported already ({@code after} or before) that the insured place applied only since
     * {@code lateSince} (when that report was fixed) — a provisional settlement (暂记结算) made while this province was
     * down, applied when it was back — and that no report holds yet. Each keeps its own month (both sides hold it);
     * the treatment node's claim, carried since as a case, is matched with it in this clearing.
     */
    static void read(Connection c, Admdvs self, YearMonth after, YearMonth through, java.time.Instant lateSince,
                     Consumer<Line> sink) throws SQLException {
        LocalDateTime from = after == null ? LocalDateTime.of(1900, 1, 1, 0, 0) : after.plusMonths(1).atDay(1).atStartOfDay();
        LocalDateTime to = through.plusMonths(1).atDay(1).atStartOfDay();
        Timestamp fromLocal = Timestamp.valueOf(from);
        Timestamp toLocal = Timestamp.valueOf(to);
        Timestamp fromInstant = Timestamp.from(from.atZone(CHINA).toInstant());
        Timestamp toInstant = Timestamp.from(to.atZone(CHINA).toInstant());
        // claims: settlements (+), reversals (- of the settlement they reverse), corrections (- of the settlement)
        try (PreparedStatement ps = c.prepareStatement("SELECT setl_id, insuplc_admdvs, setl_time, " + FUNDS
                + " FROM settlement WHERE kind <> 'REVERSAL' AND state IN ('SETTLED', 'REVERSED', 'CORRECTED') AND "
                + "setl_time >= ? AND setl_time < ?")) {
            ps.setTimestamp(1, fromLocal);
            ps.setTimestamp(2, toLocal);
            claims(ps, self, Movement.SETTLED, false, true, sink);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT reversal_of, insuplc_admdvs, setl_time, " + FUNDS
                + " FROM settlement WHERE kind = 'REVERSAL' AND state = 'SETTLED' AND setl_time >= ? AND setl_time < ?")) {
            ps.setTimestamp(1, fromLocal);
            ps.setTimestamp(2, toLocal);
            claims(ps, self, Movement.UNDONE, false, true, sink);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT setl_id, insuplc_admdvs, updated_at, " + FUNDS
                + " FROM settlement WHERE kind <> 'REVERSAL' AND state = 'CORRECTED' AND updated_at >= ? AND "
                + "updated_at < ?")) {
            ps.setTimestamp(1, fromInstant);
            ps.setTimestamp(2, toInstant);
            claims(ps, self, Movement.UNDONE, true, false, sink);
        }
        // applications: what the insured place applied (+) and undid for a reversal or correction (-), per fund from
        // their ledger postings; a settlement released (undone by its own id: never committed) is not one
        applications(c, self, "SELECT p.posting_id, i.setl_id, i.mdtrtarea_admvs, i.setl_time, e.account, e.amount_fen "
                + "FROM insured_settlement i JOIN ledger_posting p ON p.kind = 'APPLIED' AND p.reference = i.setl_id "
                + "JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE e.account LIKE 'fund:%' AND i.setl_time >= ? "
                + "AND i.setl_time < ? AND (i.undo_id IS NULL OR i.undo_id <> i.setl_id) ORDER BY p.posting_id",
                fromLocal, toLocal, Movement.SETTLED, true, sink);
        applications(c, self, "SELECT p.posting_id, i.setl_id, i.mdtrtarea_admvs, i.undone_at, e.account, e.amount_fen "
                + "FROM insured_settlement i JOIN ledger_posting p ON p.kind = 'UNDONE' AND p.reference = i.setl_id "
                + "JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE e.account LIKE 'fund:%' AND i.undone_at >= ? "
                + "AND i.undone_at < ? AND i.undo_id <> i.setl_id ORDER BY p.posting_id",
                fromInstant, toInstant, Movement.UNDONE, false, sink);
        if (lateSince != null && after != null) {
            applications(c, self, "SELECT p.posting_id, i.setl_id, i.mdtrtarea_admvs, i.setl_time, e.account, "
                    + "e.amount_fen FROM insured_settlement i JOIN ledger_posting p ON p.kind = 'APPLIED' AND "
                    + "p.reference = i.setl_id JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE e.account LIKE "
                    + "'fund:%' AND i.setl_time < ? AND i.applied_at >= ? AND (i.undo_id IS NULL OR i.undo_id <> "
                    + "i.setl_id) AND NOT EXISTS (SELECT 1 FROM clearing_line l WHERE l.side = 'A' AND l.setl_id = "
                    + "i.setl_id AND l.movement = '+') ORDER BY p.posting_id",
                    fromLocal, Timestamp.from(lateSince), Movement.SETTLED, true, sink);
        }
    }

    private static void claims(PreparedStatement ps, Admdvs self, Movement movement, boolean negate, boolean local,
                               Consumer<Line> sink) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long[] fen = new long[8];
                boolean any = false;
                for (int i = 0; i < 8; i++) {
                    long v = rs.getBigDecimal(4 + i).movePointRight(2).longValueExact();
                    fen[i] = negate ? -v : v;
                    any |= v != 0;
                }
                Admdvs insured = Admdvs.of(rs.getString(2)).province();
                if (!any || insured.equals(self)) {
                    continue;
                }
                sink.accept(new Line(Side.CLAIMS, insured, rs.getString(1), movement, month(rs.getTimestamp(3), local),
                        FundAmounts.of(fen)));
            }
        }
    }

    private static void applications(Connection c, Admdvs self, String sql, Timestamp from, Timestamp to,
                                     Movement movement, boolean local, Consumer<Line> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, from);
            ps.setTimestamp(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                long posting = -1;
                Line pending = null;
                Map<String, Integer> index = fundIndex();
                long[] fen = null;
                while (rs.next()) {
                    if (rs.getLong(1) != posting) {
                        emit(pending, fen, self, sink);
                        posting = rs.getLong(1);
                        fen = new long[8];
                        pending = new Line(Side.APPLICATIONS, Admdvs.of(rs.getString(3)).province(), rs.getString(2),
                                movement, month(rs.getTimestamp(4), local), FundAmounts.ZERO);
                    }
                    Integer i = index.get(rs.getString(5).substring("fund:".length()));
                    if (i == null) {
                        throw new SQLException("ledger account " + rs.getString(5) + " of settlement " + rs.getString(2)
                                + " is no fund of the national interface");
                    }
                    fen[i] = Math.addExact(fen[i], rs.getLong(6));
                }
                emit(pending, fen, self, sink);
            }
        }
    }

    private static void emit(Line pending, long[] fen, Admdvs self, Consumer<Line> sink) {
        if (pending == null || pending.counterpart().equals(self)) {
            return;
        }
        FundAmounts amounts = FundAmounts.of(fen);
        if (!amounts.isZero()) {
            sink.accept(new Line(pending.side(), pending.counterpart(), pending.setlId(), pending.movement(),
                    pending.month(), amounts));
        }
    }

    private static Map<String, Integer> fundIndex() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < FundAmounts.FUNDS.size(); i++) {
            m.put(FundAmounts.FUNDS.get(i), i);
        }
        return m;
    }

    /** The month of a time: a local China time ({@code setl_time}) or an instant as JDBC stores it. */
    private static YearMonth month(Timestamp t, boolean local) {
        LocalDateTime china = local ? t.toLocalDateTime() : t.toInstant().atZone(CHINA).toLocalDateTime();
        return YearMonth.from(china);
    }
}
