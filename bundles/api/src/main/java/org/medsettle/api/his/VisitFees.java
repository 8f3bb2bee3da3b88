package org.medsettle.api.his;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.Money;

/**
 * A visit's fee lines (费用明细) as the treatment node keeps them, for every bundle that reads them (the treatment
 * bundle, which alone writes them, the supervision rules, assisted audit).
 *
 * <p>Where they are: the lines an upload (2301/2204) brought are <em>one row</em> of {@code fee_upload} (the visit,
 * the upload's msgid, the lines as one value of at most {@value #MAX_VALUE_BYTES} bytes in UTF-8, kept as bytes in
 * {@code lines_utf8} since the store schema's V16 and as text in {@code lines} before — {@link #value} reads
 * either; an upload too large for one value takes as many rows as it needs, numbered by {@code part}). A line whose state changed after its upload —
 * cancelled (2302, or a 2601 taking its upload back), restored, or uploaded again after a cancellation — is a row of
 * {@code fee_line}, and that row then <em>is</em> the line: the upload's copy of that serial is no longer read. Lines
 * stored before the store schema's V15 are rows of {@code fee_line} too. A serial appears in at most one upload of
 * a visit (the upload that first brought it; a later upload of the same serial, after its cancellation, updates its
 * {@code fee_line} row).
 *
 * <p>The value: a first line {@code 1} (the format's version), then one line per fee line, fields separated by a
 * tab: {@code feedetl_sn, med_list_codg, medins_list_codg, fee_ocur_time (yyyy-MM-ddTHH:mm:ss), pric (6 decimals),
 * cnt (4 decimals), det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt (each in fen),
 * chrgitm_lv, init_feedetl_sn (empty when none)}; a backslash, tab, line feed or carriage return inside a text is
 * written {@code \\}, {@code \t}, {@code \n}, {@code \r}. The row's {@code serials} column lists the serials of its
 * lines, separated by spaces: what an upload reads to find serials used before.
 */
public final class VisitFees {

    /** The most characters of one {@code fee_upload} row's {@code serials} (and of a value kept as text before V16). */
    public static final int MAX_VALUE_CHARS = 32_000;

    /** The most bytes of one {@code fee_upload} value in UTF-8 ({@code lines_utf8}). */
    public static final int MAX_VALUE_BYTES = 32_000;

    /**
     * The two columns of a {@code fee_upload} row that hold its lines, in the order {@link #value} reads them: the
     * value as text (rows before the store schema's V16; empty since) and as UTF-8 bytes (since; NULL before).
     */
    public static final String VALUE_COLUMNS = "lines, lines_utf8";

    private static final String FORMAT = "1";
    private static final String COLUMNS = "mdtrt_id, feedetl_sn, med_list_codg, medins_list_codg, fee_ocur_time, "
            + "pric, cnt, det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt, "
            + "chrgitm_lv, init_feedetl_sn, state, msgid";

    private VisitFees() {
    }

    /**
     * One fee line: the national interface's fields, its classification at upload ({@code fulamt_ownpay_amt} ...
     * {@code chrgitm_lv}), the line it reverses ({@code init_feedetl_sn}), its state ({@code ACTIVE} or
     * {@code CANCELLED}) and the msgid of the upload that brought it.
     */
    public record Line(String mdtrtId, String feedetlSn, String medListCodg, String medinsListCodg, LocalDateTime time,
                       BigDecimal pric, BigDecimal cnt, Money amount, Money fulamtOwnpay, Money overlmt,
                       Money preselfpay, Money inscp, String chrgitmLv, Optional<String> reverses, String state,
                       String msgid) {

        public boolean active() {
            return "ACTIVE".equals(state);
        }

        /** The same line in another state. */
        public Line withState(String newState) {
            return new Line(mdtrtId, feedetlSn, medListCodg, medinsListCodg, time, pric, cnt, amount, fulamtOwnpay,
                    overlmt, preselfpay, inscp, chrgitmLv, reverses, newState, msgid);
        }
    }

    /** One {@code fee_upload} row as read for a visit's bill: its upload's msgid and its lines' value. */
    public record Upload(String msgid, String value) {
    }

    /**
     * One {@code fee_upload} row's contents: the lines' serials (within {@link #MAX_VALUE_CHARS} characters) and the
     * lines, within {@link #MAX_VALUE_BYTES} bytes in UTF-8.
     */
    public record Part(int part, int count, String serials, String value) {

        /** The value as it is kept, in {@code lines_utf8}. */
        public byte[] bytes() {
            return value.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The value of a {@code fee_upload} row read with {@link #VALUE_COLUMNS} at {@code column} and the next: the bytes
     * if the row has them, else the text of a row written before.
     */
    public static String value(ResultSet rs, int column) throws SQLException {
        byte[] bytes = rs.getBytes(column + 1);
        return bytes != null ? new String(bytes, StandardCharsets.UTF_8) : rs.getString(column);
    }

    // ---- reading

    /** The visit's lines (only the active ones, or in any state), by serial. */
    public static List<Line> lines(Connection c, String mdtrtId, boolean activeOnly) throws SQLException {
        return read(c, mdtrtId, activeOnly, null, null, true);
    }

    /**
     * As {@link #lines(Connection, String, boolean)}; {@code withRows} false when the caller knows, from the visit's
     * row read in this transaction, that none of its lines is a row of {@code fee_line} (the treatment node's
     * {@code visit.fee_rows}): that table is not looked at.
     */
    public static List<Line> lines(Connection c, String mdtrtId, boolean activeOnly, boolean withRows)
            throws SQLException {
        return read(c, mdtrtId, activeOnly, null, null, withRows);
    }

    /**
     * As {@link #lines(Connection, String, boolean, boolean)} from the visit's {@code fee_upload} rows, read already in
     * this transaction (e.g. with the visit's own row): only {@code fee_line} is looked at, if {@code withRows}.
     */
    public static List<Line> lines(Connection c, String mdtrtId, List<Upload> uploads, boolean activeOnly,
                                   boolean withRows) throws SQLException {
        return assemble(c, mdtrtId, uploads, activeOnly, null, null, withRows);
    }

    /**
     * The visit's active lines at a time from {@code from} to {@code to} (inclusive), and its active lines that
     * reverse another wherever they are dated, by serial: what the supervision rules compare with another visit.
     */
    public static List<Line> activeBetween(Connection c, String mdtrtId, LocalDateTime from, LocalDateTime to)
            throws SQLException {
        return read(c, mdtrtId, true, from, to, true);
    }

    private static List<Line> read(Connection c, String mdtrtId, boolean activeOnly, LocalDateTime from,
                                   LocalDateTime to, boolean withRows) throws SQLException {
        List<Upload> uploads = new ArrayList<>(1);
        try (PreparedStatement ps = c.prepareStatement("SELECT msgid, " + VALUE_COLUMNS + " FROM fee_upload "
                + "WHERE mdtrt_id = ?")) {
            ps.setString(1, mdtrtId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uploads.add(new Upload(rs.getString(1), value(rs, 2)));
                }
            }
        }
        return assemble(c, mdtrtId, uploads, activeOnly, from, to, withRows);
    }

    /** The lines of {@code uploads} (of the times from {@code from} to {@code to}, if given), each replaced by its row. */
    private static List<Line> assemble(Connection c, String mdtrtId, List<Upload> uploads, boolean activeOnly,
                                       LocalDateTime from, LocalDateTime to, boolean withRows) throws SQLException {
        Map<String, Line> bySerial = new HashMap<>();
        for (Upload u : uploads) {
            for (Line l : decode(mdtrtId, u.msgid(), u.value(), from, to)) {
                bySerial.put(l.feedetlSn(), l);
            }
        }
        // a row is the line, whatever its upload's copy said
        if (withRows) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM fee_line WHERE mdtrt_id = ?")) {
                ps.setString(1, mdtrtId);
                for (Line l : rows(ps)) {
                    bySerial.remove(l.feedetlSn());
                    if (from == null || l.reverses().isPresent() || !(l.time().isBefore(from) || l.time().isAfter(to))) {
                        bySerial.put(l.feedetlSn(), l);
                    }
                }
            }
        }
        List<Line> out = new ArrayList<>(bySerial.size());
        for (Line l : bySerial.values()) {
            if (!activeOnly || l.active()) {
                out.add(l);
            }
        }
        out.sort(Comparator.comparing(Line::feedetlSn));
        return out;
    }

    /**
     * The visit's lines with these serials, in any state: what an upload needs (serials used before, lines it
     * reverses) without reading the visit's whole bill — the serials of each upload row, and the lines only of the
     * rows that hold one of these.
     */
    public static List<Line> named(Connection c, String mdtrtId, Collection<String> serials) throws SQLException {
        return named(c, mdtrtId, serials, true);
    }

    /**
     * As {@link #named(Connection, String, Collection)}; {@code withRows} false when the caller knows, from the
     * visit's row read in this transaction after taking it, that none of its lines is a row of {@code fee_line}: that
     * table is not looked at.
     */
    public static List<Line> named(Connection c, String mdtrtId, Collection<String> serials, boolean withRows)
            throws SQLException {
        if (serials.isEmpty()) {
            return List.of();
        }
        Map<String, Line> found = new HashMap<>();
        List<String[]> rowsWithSerial = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT msgid, part, serials FROM fee_upload "
                + "WHERE mdtrt_id = ?")) {
            ps.setString(1, mdtrtId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (String sn : rs.getString(3).split(" ")) {
                        if (serials.contains(sn)) {
                            rowsWithSerial.add(new String[] {rs.getString(1), Integer.toString(rs.getInt(2))});
                            break;
                        }
                    }
                }
            }
        }
        if (!rowsWithSerial.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VALUE_COLUMNS + " FROM fee_upload "
                    + "WHERE mdtrt_id = ? AND msgid = ? AND part = ?")) {
                for (String[] row : rowsWithSerial) {
                    ps.setString(1, mdtrtId);
                    ps.setString(2, row[0]);
                    ps.setInt(3, Integer.parseInt(row[1]));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            for (Line l : decode(mdtrtId, row[0], value(rs, 1))) {
                                if (serials.contains(l.feedetlSn())) {
                                    found.put(l.feedetlSn(), l);
                                }
                            }
                        }
                    }
                }
            }
        }
        // the serials held as rows come from the primary key's index alone; only those named are read
        if (withRows) {
            List<String> asRows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT feedetl_sn FROM fee_line WHERE mdtrt_id = ?")) {
                ps.setString(1, mdtrtId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (serials.contains(rs.getString(1))) {
                            asRows.add(rs.getString(1));
                        }
                    }
                }
            }
            if (!asRows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM fee_line "
                        + "WHERE mdtrt_id = ? AND feedetl_sn = ?")) {
                    for (String sn : asRows) {
                        ps.setString(1, mdtrtId);
                        ps.setString(2, sn);
                        for (Line l : rows(ps)) {
                            found.put(l.feedetlSn(), l);
                        }
                    }
                }
            }
        }
        List<Line> out = new ArrayList<>(found.values());
        out.sort(Comparator.comparing(Line::feedetlSn));
        return out;
    }

    private static List<Line> rows(PreparedStatement ps) throws SQLException {
        List<Line> lines = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                lines.add(new Line(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toLocalDateTime(), rs.getBigDecimal(6), rs.getBigDecimal(7),
                        Money.ofYuan(rs.getBigDecimal(8)), Money.ofYuan(rs.getBigDecimal(9)),
                        Money.ofYuan(rs.getBigDecimal(10)), Money.ofYuan(rs.getBigDecimal(11)),
                        Money.ofYuan(rs.getBigDecimal(12)), rs.getString(13), Optional.ofNullable(rs.getString(14)),
                        rs.getString(15), rs.getString(16)));
            }
        }
        return lines;
    }

    // ---- the value

    /**
     * An upload's lines as {@code fee_upload} rows: one, or as many as needed for each value to stay within
     * {@link #MAX_VALUE_BYTES} bytes in UTF-8 and its serials within {@link #MAX_VALUE_CHARS} characters; active lines
     * only. Prices are kept to 6 decimals and quantities to 4 (as {@code fee_line} keeps them); a price or quantity with
     * more is refused by the caller before.
     */
    public static List<Part> encode(List<Line> lines) {
        List<Part> parts = new ArrayList<>(1);
        StringBuilder value = new StringBuilder(lines.size() * 120).append(FORMAT);
        int valueBytes = FORMAT.length();
        StringBuilder serials = new StringBuilder(lines.size() * 12);
        int count = 0;
        for (Line l : lines) {
            if (!l.active()) {
                throw new IllegalArgumentException("fee line " + l.feedetlSn() + " is " + l.state() + ": an upload's "
                        + "value holds active lines only (a changed line is a fee_line row)");
            }
            String line = line(l);
            int lineBytes = utf8Length(line);
            if (lineBytes + 2 > MAX_VALUE_BYTES || l.feedetlSn().length() + 1 > MAX_VALUE_CHARS) {
                throw new IllegalArgumentException("fee line " + l.feedetlSn() + " does not fit a value");
            }
            if (count > 0 && (valueBytes + 1 + lineBytes > MAX_VALUE_BYTES
                    || serials.length() + 1 + l.feedetlSn().length() > MAX_VALUE_CHARS)) {
                parts.add(new Part(parts.size(), count, serials.toString(), value.toString()));
                value.setLength(0);
                value.append(FORMAT);
                valueBytes = FORMAT.length();
                serials.setLength(0);
                count = 0;
            }
            value.append('\n').append(line);
            valueBytes += 1 + lineBytes;
            if (count > 0) {
                serials.append(' ');
            }
            serials.append(l.feedetlSn());
            count++;
        }
        if (count > 0) {
            parts.add(new Part(parts.size(), count, serials.toString(), value.toString()));
        }
        return parts;
    }

    /** The length of {@code s} in UTF-8 (a surrogate pair is four bytes, as the encoder writes it). */
    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) {
                if (ch < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // the pair: 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2; // 3 bytes (a lone surrogate is written as '?', 1 byte: counted high, which is safe)
                }
            }
        }
        return bytes;
    }

    private static String line(Line l) {
        StringBuilder b = new StringBuilder(120);
        text(b, l.feedetlSn()).append('\t');
        text(b, l.medListCodg()).append('\t');
        text(b, l.medinsListCodg()).append('\t');
        time(b, l.time()).append('\t');
        b.append(l.pric().setScale(6).toPlainString()).append('\t');
        b.append(l.cnt().setScale(4).toPlainString()).append('\t');
        b.append(l.amount().fen()).append('\t');
        b.append(l.fulamtOwnpay().fen()).append('\t');
        b.append(l.overlmt().fen()).append('\t');
        b.append(l.preselfpay().fen()).append('\t');
        b.append(l.inscp().fen()).append('\t');
        text(b, l.chrgitmLv()).append('\t');
        text(b, l.reverses().orElse(""));
        return b.toString();
    }

    /** The lines of one {@code fee_upload} value, all {@code ACTIVE} (a changed line is a {@code fee_line} row). */
    public static List<Line> decode(String mdtrtId, String msgid, String value) {
        return decode(mdtrtId, msgid, value, null, null);
    }

    /**
     * The lines of one value; with {@code from} and {@code to}, only those at a time between them (inclusive) and
     * those reversing another line — the others are skipped before they are read whole.
     */
    static List<Line> decode(String mdtrtId, String msgid, String value, LocalDateTime from,
                             LocalDateTime to) {
        int nl = value.indexOf('\n');
        String format = nl < 0 ? value : value.substring(0, nl);
        if (!FORMAT.equals(format)) {
            throw new IllegalStateException("fee_upload of " + mdtrtId + " (" + msgid + "): unknown format '"
                    + format + "'");
        }
        List<Line> lines = new ArrayList<>(32);
        if (nl < 0) {
            return lines;
        }
        int[] at = new int[14]; // field k is value[at[k], at[k + 1] - 1)
        int pos = nl + 1;
        while (pos <= value.length()) {
            int end = value.indexOf('\n', pos);
            if (end < 0) {
                end = value.length();
            }
            int field = 0;
            at[0] = pos;
            for (int i = pos; i <= end && field < 13; i++) {
                if (i == end || value.charAt(i) == '\t') {
                    at[++field] = i + 1;
                }
            }
            if (field != 13 || at[13] != end + 1) {
                throw new IllegalStateException("fee_upload of " + mdtrtId + " (" + msgid + "): a line without "
                        + "its 13 fields");
            }
            LocalDateTime time = parseTime(value, at[3], at[4] - 1);
            boolean reversing = at[13] - 1 > at[12];
            if (from == null || reversing || !(time.isBefore(from) || time.isAfter(to))) {
                lines.add(new Line(mdtrtId, field(value, at, 0), field(value, at, 1), field(value, at, 2), time,
                        new BigDecimal(field(value, at, 4)), new BigDecimal(field(value, at, 5)),
                        fen(value, at, 6), fen(value, at, 7), fen(value, at, 8), fen(value, at, 9), fen(value, at, 10),
                        field(value, at, 11), reversing ? Optional.of(field(value, at, 12)) : Optional.empty(),
                        "ACTIVE", msgid));
            }
            pos = end + 1;
        }
        return lines;
    }

    private static String field(String value, int[] at, int k) {
        return unescape(value, at[k], at[k + 1] - 1);
    }

    private static Money fen(String value, int[] at, int k) {
        return Money.ofFen(Long.parseLong(value, at[k], at[k + 1] - 1, 10));
    }

    private static StringBuilder text(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(ch);
            }
        }
        return b;
    }

    private static String unescape(String v, int from, int to) {
        int slash = v.indexOf('\\', from);
        if (slash < 0 || slash >= to) {
            return v.substring(from, to);
        }
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char ch = v.charAt(i);
            if (ch == '\\' && i + 1 < to) {
                char next = v.charAt(++i);
                b.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static StringBuilder time(StringBuilder b, LocalDateTime t) {
        if (t.getYear() < 1000 || t.getYear() > 9999 || t.getNano() != 0) {
            return b.append(t.toString()); // not an interface time (whole seconds, four-digit year): ISO as Java writes it
        }
        b.append(t.getYear()).append('-');
        two(b, t.getMonthValue()).append('-');
        two(b, t.getDayOfMonth()).append('T');
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        return two(b, t.getSecond());
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static LocalDateTime parseTime(String v, int from, int to) {
        if (to - from == org.medsettle.api.LocalTimes.LENGTH) {
            return org.medsettle.api.LocalTimes.parse(v, from, 'T');
        }
        return LocalDateTime.parse(v.substring(from, to)); // LocalDateTime.toString leaves out seconds of 0
    }
}
