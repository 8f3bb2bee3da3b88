package org.medsettle.treatment.internal.his;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.his.VisitFees;
import org.medsettle.api.model.SettlementAmounts;

/**
 * SQL of the treatment node's tables ({@code his_message}, {@code visit}, {@code fee_upload}, {@code fee_line},
 * {@code fee_message}, {@code settlement}).
 */
final class TreatmentStore {

    /** The most bytes of a kept answer (gzip, {@code his_message.response_zip}); a larger answer is refused. */
    static final int MAX_STORED_RESPONSE = 32_000;

    private static final String VISIT = "mdtrt_id, psn_no, fixmedins_code, insutype, med_type, begntime, endtime, "
            + "insuplc_admdvs, mdtrtarea_admvs, ipt_otp_no, state, setl_id, msgid, prior_state, state_msgid";
    private static final String AMOUNTS = "medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, "
            + "inscp_scp_amt, act_pay_dedc, hifp_pay, pool_prop_selfpay, cvlserv_pay, hifes_pay, hifmi_pay, hifob_pay, "
            + "maf_pay, oth_pay, fund_pay_sumamt, psn_part_amt, acct_pay, psn_cash_pay, balc";
    private static final String SETTLEMENT = "setl_id, kind, reversal_of, state, mdtrt_id, psn_no, psn_name, "
            + "fixmedins_code, insuplc_admdvs, insutype, psn_type, med_type, msgid, setl_time, setl_year, acc_version, "
            + AMOUNTS + ", setldetail, change_data, fee_version";

    private TreatmentStore() {
    }

    // ---- messages (msgid idempotency)

    static Optional<Rows.Message> message(Connection c, String msgid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT msgid, fixmedins_code, infno, body_sha256, infcode, "
                + "response_zip, response_gz, corrected_at FROM his_message WHERE msgid = ?")) {
            ps.setString(1, msgid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] zipped = rs.getBytes(6);
                Timestamp corrected = rs.getTimestamp(8);
                return Optional.of(new Rows.Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5),
                        // kept as bytes since the store schema's V16; as base64 text in response_gz before
                        unzip(zipped != null ? zipped : Base64.getDecoder().decode(rs.getString(7))),
                        Optional.ofNullable(corrected).map(Timestamp::toLocalDateTime)));
            }
        }
    }

    /**
     * Keeps the first answer to {@code msgid}: {@code zippedResponse} ({@link #zip}) in {@code response_zip}, as bytes
     * (Derby writes a text value one character at a time); {@code response_gz}, where rows before the store
     * schema's V16 have it as base64, is left empty.
     */
    static void recordMessage(Connection c, String msgid, String hospital, String infno, String sha256, String infcode,
                              byte[] zippedResponse, Instant now, boolean corrected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO his_message (msgid, fixmedins_code, infno, "
                + "body_sha256, infcode, response_gz, response_zip, received_at, corrected_at) "
                + "VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)")) {
            ps.setString(1, msgid);
            ps.setString(2, hospital);
            ps.setString(3, infno);
            ps.setString(4, sha256);
            ps.setString(5, infcode);
            ps.setBytes(6, zippedResponse);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, corrected ? Timestamp.from(now) : null);
            ps.executeUpdate();
        }
    }

    /**
     * Marks message {@code msgid} corrected unless it is already: whether this transaction did (and holds its row
     * until it commits — a correction of it at once through another instance waits, then finds it corrected).
     */
    static boolean markCorrected(Connection c, String msgid, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE his_message SET corrected_at = ? WHERE msgid = ? "
                + "AND corrected_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, msgid);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * An answer as it is kept for a repeat: gzip, at zlib's fastest level ({@link Deflater#BEST_SPEED}). Issue 15,
     * session 49: the kept answers' compression was 3 % of a treatment node's CPU (perf, native code JFR does not
     * sample); a 2301 answer of 30 lines (12.5 kB) takes 13 µs instead of 34 at the default level, a 100-line one 26
     * instead of 106, for 11–14 % more bytes (773 instead of 696). The largest answer kept, a 2301 of
     * {@link VisitTransactions#MAX_FEE_LINES} lines, stays far inside {@link #MAX_STORED_RESPONSE}
     * ({@code FeeUploadRowsTest}). Any gzip reads back with {@link #unzip}, the rows kept before as well.
     */
    static byte[] zip(byte[] response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(response.length / 8 + 64);
        try (GZIPOutputStream gz = new FastestGzip(out)) {
            gz.write(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** gzip with its deflater at {@link Deflater#BEST_SPEED}, set before the first byte is written. */
    private static final class FastestGzip extends GZIPOutputStream {
        FastestGzip(OutputStream out) throws IOException {
            super(out);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    static byte[] unzip(byte[] stored) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- visits

    static void insertVisit(Connection c, Rows.Visit v, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO visit (" + VISIT + ", created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.mdtrtId());
            ps.setString(2, v.psnNo());
            ps.setString(3, v.hospital());
            ps.setString(4, v.insutype());
            ps.setString(5, v.medType());
            ps.setTimestamp(6, Timestamp.valueOf(v.begin()));
            ps.setTimestamp(7, v.end().map(Timestamp::valueOf).orElse(null));
            ps.setString(8, v.insuredPlace().code());
            ps.setString(9, v.treatmentPlace().code());
            ps.setString(10, v.iptOtpNo());
            ps.setString(11, v.state());
            ps.setString(12, v.setlId().orElse(null));
            ps.setString(13, v.msgid());
            ps.setString(14, v.priorState().orElse(null));
            ps.setString(15, v.stateMsgid().orElse(null));
            ps.setTimestamp(16, Timestamp.from(now));
            ps.setTimestamp(17, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    static Optional<Rows.Visit> visit(Connection c, String mdtrtId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VISIT + ", fee_version, fee_rows FROM visit "
                + "WHERE mdtrt_id = ?")) {
            ps.setString(1, mdtrtId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(visit(rs)) : Optional.empty();
            }
        }
    }

    /** A visit from a row whose first columns are {@link #VISIT}, {@code fee_version} and {@code fee_rows}. */
    private static Rows.Visit visit(ResultSet rs) throws SQLException {
        Timestamp end = rs.getTimestamp(7);
        return new Rows.Visit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getTimestamp(6).toLocalDateTime(),
                Optional.ofNullable(end).map(Timestamp::toLocalDateTime), Admdvs.of(rs.getString(8)),
                Admdvs.of(rs.getString(9)), rs.getString(10), rs.getString(11),
                Optional.ofNullable(rs.getString(12)), rs.getString(13), Optional.ofNullable(rs.getString(14)),
                Optional.ofNullable(rs.getString(15)), rs.getInt(16), rs.getInt(17) != 0);
    }

    /**
     * A visit read with its bill's {@code fee_upload} rows (not decoded until asked for: a visit refused on its state
     * needs no lines).
     */
    record VisitWithBill(Rows.Visit visit, List<VisitFees.Upload> uploads) {

        /** The bill's active lines (from {@code fee_line} too if the visit has a line kept there), by serial. */
        List<VisitFees.Line> activeFees(Connection c) throws SQLException {
            return VisitFees.lines(c, visit.mdtrtId(), uploads, true, visit.feeRows());
        }
    }

    private static final String VISIT_WITH_BILL = "SELECT " + java.util.Arrays.stream(VISIT.split(", "))
            .map(column -> "v." + column).collect(java.util.stream.Collectors.joining(", "))
            + ", v.fee_version, v.fee_rows, f.msgid, f." + VisitFees.VALUE_COLUMNS.replace(", ", ", f.")
            + " FROM visit v LEFT OUTER JOIN fee_upload f "
            + "ON f.mdtrt_id = v.mdtrt_id WHERE v.mdtrt_id = ?";

    /** The visit and its bill's upload rows in one statement (what a settlement and a pre-settlement read). */
    static Optional<VisitWithBill> visitWithBill(Connection c, String mdtrtId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VISIT_WITH_BILL)) {
            ps.setString(1, mdtrtId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Rows.Visit visit = visit(rs);
                List<VisitFees.Upload> uploads = new ArrayList<>(1);
                do {
                    String msgid = rs.getString(18);
                    if (msgid != null) {
                        uploads.add(new VisitFees.Upload(msgid, VisitFees.value(rs, 19)));
                    }
                } while (rs.next());
                return Optional.of(new VisitWithBill(visit, uploads));
            }
        }
    }

    /**
     * Moves a visit from state {@code from} to {@code to}; false if it was no longer in {@code from} (a concurrent
     * request got there first).
     */
    static boolean moveVisit(Connection c, String mdtrtId, String from, String to, String medType,
                             LocalDateTime end, boolean setEnd, String setlId, String stateMsgid, Instant now)
            throws SQLException {
        return moveVisit(c, mdtrtId, from, to, medType, end, setEnd, setlId, stateMsgid, OptionalInt.empty(), now);
    }

    /**
     * A visit settled ({@code from} → SETTLED): false if it was no longer in {@code from}, or a fee-detail message
     * changed its lines since the settlement read them ({@code fee_version} is no longer {@code feeVersion}).
     */
    static boolean settleVisit(Connection c, Rows.Visit read, String medType, String setlId, String stateMsgid,
                               Instant now) throws SQLException {
        return moveVisit(c, read.mdtrtId(), read.state(), "SETTLED", medType, null, false, setlId, stateMsgid,
                OptionalInt.of(read.feeVersion()), now);
    }

    private static boolean moveVisit(Connection c, String mdtrtId, String from, String to, String medType,
                                     LocalDateTime end, boolean setEnd, String setlId, String stateMsgid,
                                     OptionalInt feeVersion, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET state = ?, prior_state = ?, state_msgid = ?, "
                + "med_type = COALESCE(?, med_type), endtime = " + (setEnd ? "?" : "endtime") + ", setl_id = ?, "
                + "updated_at = ? WHERE mdtrt_id = ? AND state = ?"
                + (feeVersion.isPresent() ? " AND fee_version = ?" : ""))) {
            int i = 1;
            ps.setString(i++, to);
            ps.setString(i++, from);
            ps.setString(i++, stateMsgid);
            ps.setString(i++, medType);
            if (setEnd) {
                ps.setTimestamp(i++, end == null ? null : Timestamp.valueOf(end));
            }
            ps.setString(i++, setlId);
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setString(i++, mdtrtId);
            ps.setString(i++, from);
            if (feeVersion.isPresent()) {
                ps.setInt(i, feeVersion.getAsInt());
            }
            return ps.executeUpdate() == 1;
        }
    }

    // ---- fee lines (where they are: org.medsettle.api.his.VisitFees)

    static List<VisitFees.Line> fees(Connection c, String mdtrtId, boolean activeOnly) throws SQLException {
        return VisitFees.lines(c, mdtrtId, activeOnly);
    }

    /** The lines of a visit with these serials, in any state: serials used before, lines an upload reverses. */
    static List<VisitFees.Line> fees(Connection c, String mdtrtId, Collection<String> serials) throws SQLException {
        return VisitFees.named(c, mdtrtId, serials);
    }

    /**
     * Takes the visit's row for the fee-detail message in this transaction (uploads, cancellations and their 2601 of
     * one visit one after the other, on every instance: each reads the serials and states the others write) and
     * widens its span of fee times ({@code visit.fee_first}, {@code fee_last}) to the lines about to be written —
     * the supervision rules read another visit's lines only when its span meets the settled visit's lines.
     */
    static void lockVisitFees(Connection c, String mdtrtId, Optional<LocalDateTime> first,
                              Optional<LocalDateTime> last) throws SQLException {
        if (!takeVisitFees(c, mdtrtId, Optional.empty(), first, last)) {
            throw new SQLException("no visit " + mdtrtId + " to take for its fee lines");
        }
    }

    /**
     * As {@link #lockVisitFees}, for a caller that reads the visit afterwards: whether there was a visit to take — of
     * {@code hospital} only, when given (another hospital's visit is not touched, not even for a refused request).
     */
    static boolean takeVisitFees(Connection c, String mdtrtId, Optional<String> hospital, Optional<LocalDateTime> first,
                                 Optional<LocalDateTime> last) throws SQLException {
        boolean widen = first.isPresent() && last.isPresent();
        String where = hospital.isPresent() ? " WHERE mdtrt_id = ? AND fixmedins_code = ?" : " WHERE mdtrt_id = ?";
        try (PreparedStatement ps = c.prepareStatement((widen ? "UPDATE visit SET fee_version = fee_version + 1, "
                + "fee_first = CASE WHEN fee_first IS NULL OR fee_first > ? THEN ? ELSE fee_first END, "
                + "fee_last = CASE WHEN fee_last IS NULL OR fee_last < ? THEN ? ELSE fee_last END"
                : "UPDATE visit SET fee_version = fee_version + 1") + where)) {
            int i = 1;
            if (widen) {
                Timestamp f = Timestamp.valueOf(first.get());
                Timestamp l = Timestamp.valueOf(last.get());
                for (Timestamp t : new Timestamp[] {f, f, l, l}) {
                    ps.setTimestamp(i++, t);
                }
            }
            ps.setString(i++, mdtrtId);
            if (hospital.isPresent()) {
                ps.setString(i, hospital.get());
            }
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Writes an upload's fee lines: the new serials as the upload's row(s) of {@code fee_upload}, the serials whose
     * earlier line was cancelled by updating that line's {@code fee_line} row. The caller took the visit
     * ({@link #lockVisitFees}) first.
     */
    static void putFees(Connection c, String mdtrtId, String msgid, List<VisitFees.Line> inserts,
                        List<VisitFees.Line> replacements) throws SQLException {
        if (!inserts.isEmpty()) {
            // the lines as bytes in lines_utf8 (store schema V16): Derby writes a text value a character at a time
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fee_upload (mdtrt_id, msgid, part, line_count, "
                    + "serials, lines, lines_utf8) VALUES (?, ?, ?, ?, ?, '', ?)")) {
                for (VisitFees.Part p : VisitFees.encode(inserts)) {
                    ps.setString(1, mdtrtId);
                    ps.setString(2, msgid);
                    ps.setInt(3, p.part());
                    ps.setInt(4, p.count());
                    ps.setString(5, p.serials());
                    ps.setBytes(6, p.bytes());
                    ps.executeUpdate();
                }
            }
        }
        batch(c, "UPDATE fee_line SET med_list_codg = ?, medins_list_codg = ?, fee_ocur_time = ?, pric = ?, cnt = ?, "
                + "det_item_fee_sumamt = ?, fulamt_ownpay_amt = ?, overlmt_amt = ?, preselfpay_amt = ?, "
                + "inscp_scp_amt = ?, chrgitm_lv = ?, state = ?, msgid = ?, init_feedetl_sn = ?, cancel_msgid = NULL "
                + "WHERE mdtrt_id = ? AND feedetl_sn = ?", replacements);
    }

    private static void batch(Connection c, String sql, List<VisitFees.Line> fees) throws SQLException {
        if (fees.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (VisitFees.Line f : fees) {
                bindLine(ps, f);
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                if (n == 0) {
                    throw new SQLException("a fee line was not written (" + sql.substring(0, 6) + ")");
                }
            }
        }
    }

    private static void bindLine(PreparedStatement ps, VisitFees.Line f) throws SQLException {
        ps.setString(1, f.medListCodg());
        ps.setString(2, f.medinsListCodg());
        ps.setTimestamp(3, Timestamp.valueOf(f.time()));
        ps.setBigDecimal(4, f.pric());
        ps.setBigDecimal(5, f.cnt());
        ps.setBigDecimal(6, f.amount().toYuan());
        ps.setBigDecimal(7, f.fulamtOwnpay().toYuan());
        ps.setBigDecimal(8, f.overlmt().toYuan());
        ps.setBigDecimal(9, f.preselfpay().toYuan());
        ps.setBigDecimal(10, f.inscp().toYuan());
        ps.setString(11, f.chrgitmLv());
        ps.setString(12, f.state());
        ps.setString(13, f.msgid());
        ps.setString(14, f.reverses().orElse(null));
        ps.setString(15, f.mdtrtId());
        ps.setString(16, f.feedetlSn());
    }

    /**
     * Cancels active lines of a visit (one serial with the lines reversing it, or all when {@code feedetlSn} is
     * null); answers how many of the named line were cancelled. The caller took the visit first.
     */
    static int cancelFees(Connection c, String mdtrtId, String feedetlSn, String cancelMsgid) throws SQLException {
        List<VisitFees.Line> cancelled = new ArrayList<>();
        int named = 0;
        List<VisitFees.Line> active = VisitFees.lines(c, mdtrtId, true);
        for (VisitFees.Line f : active) {
            if (feedetlSn == null || feedetlSn.equals(f.feedetlSn())) {
                cancelled.add(f);
                named++;
            }
        }
        if (feedetlSn != null && named > 0) {
            for (VisitFees.Line f : active) {
                if (f.reverses().filter(feedetlSn::equals).isPresent()) {
                    cancelled.add(f);
                }
            }
        }
        cancel(c, cancelled, cancelMsgid);
        return named;
    }

    /** 2601 of an upload: cancels the lines it uploaded to this visit. The caller took the visit first. */
    static int cancelUploadedBy(Connection c, String mdtrtId, String msgid, String correctionMsgid) throws SQLException {
        List<VisitFees.Line> cancelled = new ArrayList<>();
        for (VisitFees.Line f : VisitFees.lines(c, mdtrtId, true)) {
            if (f.msgid().equals(msgid)) {
                cancelled.add(f);
            }
        }
        cancel(c, cancelled, correctionMsgid);
        recordFeeMessage(c, correctionMsgid, mdtrtId);
        return cancelled.size();
    }

    /**
     * Active lines cancelled: a line that is a {@code fee_line} row is updated, a line still in its upload's value
     * becomes a row (cancelled), which from now on is the line.
     */
    private static void cancel(Connection c, List<VisitFees.Line> lines, String cancelMsgid) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE fee_line SET state = 'CANCELLED', cancel_msgid = ? "
                + "WHERE mdtrt_id = ? AND feedetl_sn = ? AND state = 'ACTIVE'");
             PreparedStatement insert = c.prepareStatement("INSERT INTO fee_line (med_list_codg, medins_list_codg, "
                     + "fee_ocur_time, pric, cnt, det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, "
                     + "inscp_scp_amt, chrgitm_lv, state, msgid, init_feedetl_sn, mdtrt_id, feedetl_sn, cancel_msgid) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Set<String> nowWithRows = new HashSet<>();
            for (VisitFees.Line f : lines) {
                update.setString(1, cancelMsgid);
                update.setString(2, f.mdtrtId());
                update.setString(3, f.feedetlSn());
                if (update.executeUpdate() == 0) {
                    bindLine(insert, f.withState("CANCELLED"));
                    insert.setString(17, cancelMsgid);
                    insert.executeUpdate();
                    nowWithRows.add(f.mdtrtId());
                }
            }
            // the visit's bill now needs fee_line too (activeFees)
            for (String mdtrtId : nowWithRows) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET fee_rows = 1 WHERE mdtrt_id = ? "
                        + "AND fee_rows = 0")) {
                    ps.setString(1, mdtrtId);
                    ps.executeUpdate();
                }
            }
        }
    }

    /** 2601 of a cancellation: the lines it cancelled in this visit are active again. */
    static int restoreCancelledBy(Connection c, String mdtrtId, String cancelMsgid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fee_line SET state = 'ACTIVE', cancel_msgid = NULL "
                + "WHERE mdtrt_id = ? AND cancel_msgid = ? AND state = 'CANCELLED'")) {
            ps.setString(1, mdtrtId);
            ps.setString(2, cancelMsgid);
            return ps.executeUpdate();
        }
    }

    /**
     * Notes that a fee-detail message (2301/2204 upload, 2302 cancellation, a 2601 taking an upload back) changed
     * this visit's lines: what {@link #visitsTouchedBy} answers, instead of indexes on every line. Once per message
     * and visit: a message carries the lines of one visit, and a msgid is done once.
     */
    static void recordFeeMessage(Connection c, String msgid, String mdtrtId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fee_message (msgid, mdtrt_id) VALUES (?, ?)")) {
            ps.setString(1, msgid);
            ps.setString(2, mdtrtId);
            ps.executeUpdate();
        }
    }

    /** Visits whose lines an upload or cancellation with this msgid changed. */
    static List<String> visitsTouchedBy(Connection c, String msgid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT mdtrt_id FROM fee_message WHERE msgid = ?")) {
            ps.setString(1, msgid);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    // ---- settlements

    static void insertSettlement(Connection c, Rows.Settlement s, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO settlement (" + SETTLEMENT
                + ", created_at, updated_at) VALUES (" + "?, ".repeat(38) + "?, ?)")) {
            int i = 1;
            ps.setString(i++, s.setlId());
            ps.setString(i++, s.kind());
            ps.setString(i++, s.reversalOf().orElse(null));
            ps.setString(i++, s.state());
            ps.setString(i++, s.mdtrtId());
            ps.setString(i++, s.psnNo());
            ps.setString(i++, s.psnName());
            ps.setString(i++, s.hospital());
            ps.setString(i++, s.insuredPlace().code());
            ps.setString(i++, s.insutype());
            ps.setString(i++, s.psnType());
            ps.setString(i++, s.medType());
            ps.setString(i++, s.msgid());
            ps.setTimestamp(i++, Timestamp.valueOf(s.setlTime()));
            ps.setInt(i++, s.year());
            ps.setLong(i++, s.accVersion());
            SettlementAmounts a = s.amounts();
            for (Money m : new Money[] {a.medfeeSumamt(), a.fulamtOwnpayAmt(), a.overlmtSelfpay(), a.preselfpayAmt(),
                    a.inscpScpAmt(), a.actPayDedc(), a.hifpPay()}) {
                ps.setBigDecimal(i++, m.toYuan());
            }
            ps.setBigDecimal(i++, a.poolPropSelfpay());
            for (Money m : new Money[] {a.cvlservPay(), a.hifesPay(), a.hifmiPay(), a.hifobPay(), a.mafPay(),
                    a.othPay(), a.fundPaySumamt(), a.psnPartAmt(), a.acctPay(), a.psnCashPay(), a.balc()}) {
                ps.setBigDecimal(i++, m.toYuan());
            }
            ps.setString(i++, s.setldetail());
            ps.setString(i++, s.change());
            if (s.feeVersion().isPresent()) {
                ps.setInt(i++, s.feeVersion().getAsInt());
            } else {
                ps.setNull(i++, java.sql.Types.INTEGER);
            }
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setTimestamp(i, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    private static OptionalInt feeVersion(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
    }

    static Optional<Rows.Settlement> settlement(Connection c, String setlId) throws SQLException {
        return settlements(c, "setl_id = ?", setlId).stream().findFirst();
    }

    static List<Rows.Settlement> settlementsOfMessage(Connection c, String msgid) throws SQLException {
        return settlements(c, "msgid = ?", msgid);
    }

    static List<Rows.Settlement> settlementsInState(Connection c, String state) throws SQLException {
        return settlements(c, "state = ?", state);
    }

    private static List<Rows.Settlement> settlements(Connection c, String where, String value) throws SQLException {
        // in the order they were made: sorted here, not by Derby, whose sorter costs more than the one or two rows
        // a msgid or a setl_id has (SettlementPlansTest)
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SETTLEMENT + ", created_at FROM settlement WHERE "
                + where)) {
            ps.setString(1, value);
            record Made(Rows.Settlement settlement, Timestamp createdAt) {
            }
            List<Made> made = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = 17;
                    SettlementAmounts a = new SettlementAmounts(money(rs, i++), money(rs, i++), money(rs, i++),
                            money(rs, i++), money(rs, i++), money(rs, i++), money(rs, i++), rs.getBigDecimal(i++),
                            money(rs, i++), money(rs, i++), money(rs, i++), money(rs, i++), money(rs, i++),
                            money(rs, i++), money(rs, i++), money(rs, i++), money(rs, i++), money(rs, i++),
                            money(rs, i++));
                    made.add(new Made(new Rows.Settlement(rs.getString(1), rs.getString(2),
                            Optional.ofNullable(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            Admdvs.of(rs.getString(9)), rs.getString(10), rs.getString(11), rs.getString(12),
                            rs.getString(13), rs.getTimestamp(14).toLocalDateTime(), rs.getInt(15), rs.getLong(16), a,
                            rs.getString(36), rs.getString(37), feeVersion(rs, 38)), rs.getTimestamp(39)));
                }
            }
            made.sort(java.util.Comparator.comparing(Made::createdAt));
            return made.stream().map(Made::settlement).toList();
        }
    }

    static boolean moveSettlement(Connection c, String setlId, String from, String to, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE settlement SET state = ?, updated_at = ? WHERE setl_id = ? AND state = ?")) {
            ps.setString(1, to);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, setlId);
            ps.setString(4, from);
            return ps.executeUpdate() == 1;
        }
    }

    private static Money money(ResultSet rs, int column) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        return Money.ofYuan(v);
    }
}
