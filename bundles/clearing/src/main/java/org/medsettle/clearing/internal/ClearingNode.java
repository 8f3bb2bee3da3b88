package org.medsettle.clearing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingBook;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkRequestHandler;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.medsettle.clearing.internal.ClearingMessages.Line;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A province node's side of the monthly clearing (only on {@code MEDSETTLE_ROLE=node}): answers the hub's
 * {@code CLEARING_REPORT} (the first request of a clearing fixes the node's report in table {@code clearing_line}:
 * its lines of the month and of earlier months not reported yet, and the lines carried from earlier clearings; later
 * pages read that report), {@code CLEARING_CASES} (lines the hub could not clear: carried to the next clearing) and
 * {@code CLEARING_CLOSE} (the statement; the rest of the report is cleared, the ledger's claims or debts moved to the
 * clearing accounts, in one transaction with its audit record). Every answer is the same for a repeated message.
 */
@Component(service = {ClearingBook.class, LinkRequestHandler.class}, property = {
        LinkRequestHandler.TYPES + "=" + ClearingMessages.REPORT, LinkRequestHandler.TYPES + "=" + ClearingMessages.CASES,
        LinkRequestHandler.TYPES + "=" + ClearingMessages.CLOSE})
public class ClearingNode implements ClearingBook, LinkRequestHandler {

    /** The most lines a page of the report holds (a page stays well under the link's 1 MiB). */
    static final int MAX_PAGE = 5000;
    /** Posting kind of a clearing's movement of claims or debts to the clearing accounts. */
    static final String CLEARED = "CLEARED";
    private static final Logger LOG = LoggerFactory.getLogger(ClearingNode.class);

    private final Transactor db;
    private final AuditLog audit;
    private final Ledger ledger;
    private final Admdvs self;
    private final Clock clock;

    @Activate
    public ClearingNode(@Reference(target = "(role~=node)") InstanceIdentity identity, @Reference Transactor db,
                        @Reference AuditLog audit, @Reference Ledger ledger,
                        @Reference(target = "(owner=medsettle-clearing)") SchemaReady schema) {
        this(identity.admdvs(), db, audit, ledger, org.medsettle.api.BusinessClock.system());
        LOG.info("Clearing of {} at schema version {}: answers the hub's clearing runs", self, schema.version());
    }

    /**
     * For tests and benchmarks: the node of {@code self} on {@code db} (the schemas applied). A factory, not a public
     * constructor: Felix SCR tries every public constructor of the component's arity and logs an ERROR for one
     * whose parameters are not references (docs/stack.md, trap 55).
     */
    public static ClearingNode of(Admdvs self, Transactor db, AuditLog audit, Ledger ledger, Clock clock) {
        return new ClearingNode(self, db, audit, ledger, clock);
    }

    private ClearingNode(Admdvs self, Transactor db, AuditLog audit, Ledger ledger, Clock clock) {
        this.self = self;
        this.db = db;
        this.audit = audit;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public String answer(HubMessage message) {
        return switch (message.type()) {
            case ClearingMessages.REPORT -> ClearingMessages.write(report(ClearingMessages.read(message.body(),
                    ClearingMessages.ReportRequest.class)));
            case ClearingMessages.CASES -> ClearingMessages.write(cases(ClearingMessages.read(message.body(),
                    ClearingMessages.CasesRequest.class)));
            case ClearingMessages.CLOSE -> ClearingMessages.write(close(ClearingMessages.read(message.body(),
                    ClearingMessages.CloseRequest.class)));
            default -> throw new IllegalArgumentException("not a clearing message: " + message.type());
        };
    }

    // ---- report

    ClearingMessages.ReportPage report(ClearingMessages.ReportRequest r) {
        String id = ClearingMessages.clearingId(r.clearingId());
        YearMonth month = ClearingMessages.month(r.month());
        if (!ClearingHub.idOf(month).equals(id)) {
            throw new IllegalArgumentException("clearing " + id + " is not the clearing of " + month);
        }
        if (!ended(month)) {
            throw new IllegalStateException(month + " has not ended here yet (China time): its lines are not final");
        }
        int limit = Math.max(1, Math.min(MAX_PAGE, r.limit()));
        return db.inTransaction("report for clearing " + id, c -> {
            long total = reported(c, id).orElse(-1L);
            if (total < 0) {
                total = snapshot(c, id, month);
            }
            List<String> lines = new ArrayList<>();
            long last = r.after();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, side, counterpart, setl_id, movement, month, "
                    + "hifp, cvlserv, hifes, hifmi, hifob, maf, oth, acct FROM clearing_line WHERE clearing_id = ? "
                    + "AND seq > ? ORDER BY seq FETCH FIRST " + (limit + 1) + " ROWS ONLY")) {
                ps.setString(1, id);
                ps.setLong(2, r.after());
                boolean more = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (lines.size() == limit) {
                            more = true;
                            break;
                        }
                        last = rs.getLong(1);
                        lines.add(line(rs, 2).text());
                    }
                }
                return new ClearingMessages.ReportPage(id, lines, last, !more, total);
            }
        });
    }

    private boolean ended(YearMonth month) {
        return !LocalDateTime.now(clock.withZone(NodeLines.CHINA)).isBefore(month.plusMonths(1).atDay(1).atStartOfDay());
    }

    private static Optional<Long> reported(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lines FROM clearing_report WHERE clearing_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Fixes the node's report for clearing {@code id} of {@code month}; answers its number of lines. */
    private long snapshot(Connection c, String id, YearMonth month) throws SQLException {
        long started = System.nanoTime();
        YearMonth latest = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(month) FROM clearing_report");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getString(1) != null) {
                latest = YearMonth.parse(rs.getString(1));
            }
        }
        if (latest != null && !latest.isBefore(month)) {
            throw new IllegalStateException("this node reported for the clearing of " + latest + " already: "
                    + month + " cannot be reported after it");
        }
        // when the latest report was fixed: applications of its months or earlier made since are late lines
        java.time.Instant lateSince = null;
        if (latest != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(reported_at) FROM clearing_report WHERE month = ?")) {
                ps.setString(1, latest.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getTimestamp(1) != null) {
                        lateSince = rs.getTimestamp(1).toInstant();
                    }
                }
            }
        }
        // applications carried from earlier clearings that the insured place has since released: never claimed, void
        try (PreparedStatement ps = c.prepareStatement("UPDATE clearing_line SET state = 'VOID' WHERE state = 'CARRIED' "
                + "AND side = 'A' AND EXISTS (SELECT 1 FROM insured_settlement i WHERE i.setl_id = clearing_line.setl_id "
                + "AND i.undo_id = i.setl_id)")) {
            ps.executeUpdate();
        }
        long carried;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE clearing_line SET clearing_id = ?, state = 'REPORTED' WHERE state = 'CARRIED'")) {
            ps.setString(1, id);
            carried = ps.executeUpdate();
        }
        long[] added = {0};
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO clearing_line (side, counterpart, setl_id, "
                + "movement, month, hifp, cvlserv, hifes, hifmi, hifob, maf, oth, acct, clearing_id, state) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'REPORTED')")) {
            SQLException[] failed = {null};
            NodeLines.read(c, self, latest, month, lateSince, line -> {
                if (failed[0] != null) {
                    return;
                }
                try {
                    insert.setString(1, line.side() == Side.CLAIMS ? "C" : "A");
                    insert.setString(2, line.counterpart().code());
                    insert.setString(3, line.setlId());
                    insert.setString(4, line.movement().sign());
                    insert.setString(5, line.month().toString());
                    long[] fen = line.amounts().values();
                    for (int i = 0; i < 8; i++) {
                        insert.setLong(6 + i, fen[i]);
                    }
                    insert.setString(14, id);
                    insert.addBatch();
                    if (++added[0] % 1000 == 0) {
                        insert.executeBatch();
                    }
                } catch (SQLException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            insert.executeBatch();
        }
        long total = carried + added[0];
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clearing_report (clearing_id, month, reported_at, lines) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, month.toString());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setLong(4, total);
            ps.executeUpdate();
        }
        audit.record(c, new AuditEvent(now, "hub", AuditChannel.LINK, "CLEARING_REPORTED", id, total + " lines of "
                + (latest == null ? "" : "after " + latest + " through ") + month + " (" + carried
                + " carried from earlier clearings)"));
        LOG.info("Clearing {}: report of {} fixed in {} ms, {} lines ({} new through {}, {} carried)", id, self,
                (System.nanoTime() - started) / 1_000_000, total, added[0], month, carried);
        return total;
    }

    // ---- cases

    ClearingMessages.CasesAnswer cases(ClearingMessages.CasesRequest r) {
        String id = ClearingMessages.clearingId(r.clearingId());
        List<ClearingMessages.Key> keys = new ArrayList<>();
        for (String k : r.cases() == null ? List.<String>of() : r.cases()) {
            keys.add(ClearingMessages.Key.parse(k));
        }
        if (keys.size() > MAX_PAGE) {
            throw new IllegalArgumentException("at most " + MAX_PAGE + " cases a message, not " + keys.size());
        }
        long carried = db.inTransaction("carry cases of clearing " + id, c -> {
            if (closed(c, id)) {
                return 0L;
            }
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE clearing_line SET state = 'CARRIED' WHERE side = ? "
                    + "AND counterpart = ? AND setl_id = ? AND movement = ? AND clearing_id = ? AND state = 'REPORTED'")) {
                for (ClearingMessages.Key k : keys) {
                    ps.setString(1, k.side() == Side.CLAIMS ? "C" : "A");
                    ps.setString(2, k.counterpart().code());
                    ps.setString(3, k.setlId());
                    ps.setString(4, k.movement().sign());
                    ps.setString(5, id);
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
        if (carried > 0) {
            LOG.info("Clearing {}: {} line(s) of {} carried to the next clearing (cases)", id, carried, self);
        }
        return new ClearingMessages.CasesAnswer(carried);
    }

    private static boolean closed(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT closed_at FROM clearing_report WHERE clearing_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null;
            }
        }
    }

    // ---- close

    ClearingMessages.CloseAnswer close(ClearingMessages.CloseRequest r) {
        String id = ClearingMessages.clearingId(r.clearingId());
        YearMonth month = ClearingMessages.month(r.month());
        if (r.statement() == null) {
            throw new IllegalArgumentException("a close carries the node's statement");
        }
        ClearingStatement statement = r.statement().statement();
        if (!statement.clearingId().equals(id) || !statement.month().equals(month) || !statement.province().equals(self)) {
            throw new IllegalArgumentException("the statement is " + statement.province() + "'s of "
                    + statement.clearingId() + ", not " + self + "'s of " + id);
        }
        Instant now = clock.instant();
        long started = System.nanoTime();
        return db.inTransaction("close clearing " + id, c -> {
            if (closed(c, id)) {
                return new ClearingMessages.CloseAnswer(0, 0, true);
            }
            Map<String, FundAmounts> sums = new LinkedHashMap<>();
            Map<String, Long> counts = new LinkedHashMap<>();
            if (r.included()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT side, counterpart, COUNT(*), SUM(hifp), "
                        + "SUM(cvlserv), SUM(hifes), SUM(hifmi), SUM(hifob), SUM(maf), SUM(oth), SUM(acct) FROM "
                        + "clearing_line WHERE clearing_id = ? AND state = 'REPORTED' GROUP BY side, counterpart "
                        + "ORDER BY side, counterpart")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long[] fen = new long[8];
                            for (int i = 0; i < 8; i++) {
                                fen[i] = rs.getLong(4 + i);
                            }
                            String key = rs.getString(1) + "|" + rs.getString(2);
                            sums.put(key, FundAmounts.of(fen));
                            counts.put(key, rs.getLong(3));
                        }
                    }
                }
                String differs = differences(statement, sums, counts);
                if (differs != null) {
                    LOG.error("Clearing {}: the hub's statement for {} differs from the lines this node reported: {}; "
                            + "nothing was cleared", id, self, differs);
                    throw new IllegalStateException("the statement differs from the lines " + self + " reported: "
                            + differs + "; nothing was cleared");
                }
            }
            long cleared = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE clearing_line SET state = ? WHERE clearing_id = ? "
                    + "AND state = 'REPORTED'")) {
                ps.setString(1, r.included() ? "CLEARED" : "CARRIED");
                ps.setString(2, id);
                long n = ps.executeUpdate();
                cleared = r.included() ? n : 0;
            }
            for (Map.Entry<String, FundAmounts> e : sums.entrySet()) {
                String[] k = e.getKey().split("\\|");
                Optional<Posting> p = posting(id, k[0], k[1], e.getValue());
                if (p.isPresent()) {
                    ledger.post(c, p.get());
                }
            }
            long carried;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM clearing_line WHERE clearing_id = ? AND state = 'CARRIED'")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    carried = rs.getLong(1);
                }
            }
            int updated;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE clearing_report SET closed_at = ?, statement = ? WHERE clearing_id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, ClearingMessages.write(r.statement()));
                ps.setString(3, id);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                // the node never reported in this clearing (it could not be reached): it keeps the statement
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO clearing_report (clearing_id, month, "
                        + "reported_at, lines, closed_at, statement) VALUES (?, ?, ?, 0, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, month.toString());
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setString(5, ClearingMessages.write(r.statement()));
                    ps.executeUpdate();
                }
            }
            audit.record(c, new AuditEvent(now, "hub", AuditChannel.LINK, "CLEARING_CLOSED", id, cleared
                    + " lines cleared, " + carried + " carried to the next clearing; net " + statement.net() + " fen"
                    + (r.included() ? "" : " (this node's report was not part of the clearing)")));
            LOG.info("Clearing {} closed for {} in {} ms: {} lines cleared, {} carried, net {} fen", id, self,
                    (System.nanoTime() - started) / 1_000_000, cleared, carried, statement.net());
            return new ClearingMessages.CloseAnswer(cleared, carried, false);
        });
    }

    /** Whether the statement's positions are the sums of the lines left to clear; null if they are, else what differs. */
    static String differences(ClearingStatement s, Map<String, FundAmounts> sums, Map<String, Long> counts) {
        Map<String, FundAmounts> expected = new LinkedHashMap<>();
        Map<String, Long> expectedCounts = new LinkedHashMap<>();
        for (ClearingStatement.Position p : s.positions()) {
            if (p.receivedLines() > 0) {
                expected.put("C|" + p.counterpart().code(), p.receives());
                expectedCounts.put("C|" + p.counterpart().code(), p.receivedLines());
            }
            if (p.paidLines() > 0) {
                expected.put("A|" + p.counterpart().code(), p.pays());
                expectedCounts.put("A|" + p.counterpart().code(), p.paidLines());
            }
        }
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(sums.keySet());
        for (String k : new java.util.TreeSet<>(keys)) {
            FundAmounts a = sums.getOrDefault(k, FundAmounts.ZERO);
            FundAmounts b = expected.getOrDefault(k, FundAmounts.ZERO);
            long ca = counts.getOrDefault(k, 0L);
            long cb = expectedCounts.getOrDefault(k, 0L);
            if (!a.equals(b) || ca != cb) {
                return (k.startsWith("C") ? "claims on " : "applications for ") + k.substring(2) + ": " + ca
                        + " lines, " + a.total() + " fen here, " + cb + " lines, " + b.total() + " fen in the statement";
            }
        }
        return null;
    }

    /**
     * The ledger posting of a clearing for one side and counterpart: at the place of treatment the claims on the
     * insured province ({@code claim:<p>:<fund>}) move to what the clearing owes it ({@code clearing:<p>}); at the
     * insured place its debts to the treatment province ({@code owed:<p>:<fund>}) to what it owes the clearing.
     */
    static Optional<Posting> posting(String id, String side, String counterpart, FundAmounts amounts) {
        boolean claims = "C".equals(side);
        List<Posting.Entry> entries = new ArrayList<>();
        long[] fen = amounts.values();
        for (int i = 0; i < 8; i++) {
            if (fen[i] != 0) {
                entries.add(new Posting.Entry((claims ? "claim:" : "owed:") + counterpart + ":" + FundAmounts.FUNDS.get(i),
                        claims ? -fen[i] : fen[i]));
            }
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        long total = amounts.total();
        if (total != 0) {
            entries.add(new Posting.Entry("clearing:" + counterpart, claims ? total : -total));
        }
        if (entries.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new Posting(CLEARED, id + ":" + side + ":" + counterpart, entries));
    }

    // ---- book

    @Override
    public List<Clearing> clearings() {
        return db.inTransaction("read the clearings", c -> {
            List<Clearing> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.clearing_id, r.month, r.lines, r.closed_at, "
                    + "(SELECT COUNT(*) FROM clearing_line l WHERE l.clearing_id = r.clearing_id AND l.state = 'CLEARED'), "
                    + "(SELECT COUNT(*) FROM clearing_line l WHERE l.clearing_id = r.clearing_id AND l.state = 'CARRIED') "
                    + "FROM clearing_report r ORDER BY r.month DESC");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp closedAt = rs.getTimestamp(4);
                    list.add(new Clearing(rs.getString(1), YearMonth.parse(rs.getString(2)), rs.getLong(3),
                            rs.getLong(5), rs.getLong(6), closedAt == null ? null : closedAt.toInstant()));
                }
            }
            return list;
        });
    }

    @Override
    public Optional<ClearingStatement> statement(YearMonth month) {
        return db.inTransaction("read a clearing statement", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT statement FROM clearing_report WHERE month = ?")) {
                ps.setString(1, month.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return Optional.<ClearingStatement>empty();
                    }
                    return Optional.of(ClearingMessages.read(rs.getString(1), ClearingMessages.StatementMessage.class)
                            .statement());
                }
            }
        });
    }

    @Override
    public List<Line> carried(int limit) {
        return db.inTransaction("read the carried lines", c -> {
            List<ClearingBook.Line> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT side, counterpart, setl_id, movement, month, hifp, "
                    + "cvlserv, hifes, hifmi, hifob, maf, oth, acct, clearing_id, state FROM clearing_line WHERE "
                    + "state = 'CARRIED' ORDER BY month, side, counterpart, setl_id, movement FETCH FIRST "
                    + Math.max(1, limit) + " ROWS ONLY");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ClearingMessages.Line l = line(rs, 1);
                    list.add(new ClearingBook.Line(l.side(), l.counterpart(), l.setlId(), l.movement(), l.month(),
                            l.amounts(), rs.getString(14), rs.getString(15)));
                }
            }
            return list;
        });
    }

    /** The line at column {@code from} (side, counterpart, setl_id, movement, month, 8 amounts). */
    private static ClearingMessages.Line line(ResultSet rs, int from) throws SQLException {
        long[] fen = new long[8];
        for (int i = 0; i < 8; i++) {
            fen[i] = rs.getLong(from + 5 + i);
        }
        return new ClearingMessages.Line("C".equals(rs.getString(from)) ? Side.CLAIMS : Side.APPLICATIONS,
                Admdvs.of(rs.getString(from + 1)), rs.getString(from + 2), Movement.ofSign(rs.getString(from + 3)),
                YearMonth.parse(rs.getString(from + 4)), FundAmounts.of(fen));
    }
}
