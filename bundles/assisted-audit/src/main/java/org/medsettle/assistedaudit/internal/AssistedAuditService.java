package org.medsettle.assistedaudit.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.medsettle.api.PlainText;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.his.VisitFees;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkRequestHandler;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.medsettle.api.supervision.AssistedAudits;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assisted audits (费用协查) at a province node (only on {@code MEDSETTLE_ROLE=node}; table {@code assisted_audit},
 * which it alone writes). Opening a case (the insured node) commits the case, its audit record and an
 * {@code ASSISTED_AUDIT_OPEN} notice to the treatment node in the durable outbox; answering (the treatment node)
 * commits the answer with the visit's bill (read through {@link VisitFees}), its audit record and an
 * {@code ASSISTED_AUDIT_ANSWER} notice back. Each node takes a notice once. Health check {@code assisted-audit}:
 * the cases open, and those past their deadline.
 */
@Component(service = {AssistedAudits.class, LinkRequestHandler.class, HealthCheck.class}, property = {
        LinkRequestHandler.TYPES + "=" + AssistedAuditService.OPEN,
        LinkRequestHandler.TYPES + "=" + AssistedAuditService.ANSWER})
public class AssistedAuditService implements AssistedAudits, LinkRequestHandler, HealthCheck {

    static final String OPEN = "ASSISTED_AUDIT_OPEN";
    static final String ANSWER = "ASSISTED_AUDIT_ANSWER";
    static final ZoneId CHINA = BusinessClock.ZONE;
    /** A notice's body stays below the outbox's 8,000 characters: the bill's largest lines that fit. */
    static final int MAX_NOTICE = 7000;
    private static final Logger LOG = LoggerFactory.getLogger(AssistedAuditService.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Admdvs self;
    private final Transactor db;
    private final AuditLog audit;
    private final NationalLink link;
    private final Clock clock;

    @Activate
    public AssistedAuditService(@Reference(target = "(role~=node)") InstanceIdentity identity, @Reference Transactor db,
                                @Reference AuditLog audit, @Reference NationalLink link,
                                @Reference(target = "(owner=medsettle-assisted-audit)") SchemaReady schema) {
        this(identity.admdvs(), db, audit, link, org.medsettle.api.BusinessClock.system());
        LOG.info("Assisted audits of {} at schema version {}", self, schema.version());
    }

    /** For tests (a factory, not a public constructor: docs/stack.md, trap 55). */
    public static AssistedAuditService of(Admdvs self, Transactor db, AuditLog audit, NationalLink link, Clock clock) {
        return new AssistedAuditService(self, db, audit, link, clock);
    }

    private AssistedAuditService(Admdvs self, Transactor db, AuditLog audit, NationalLink link, Clock clock) {
        this.self = self;
        this.db = db;
        this.audit = audit;
        this.link = link;
        this.clock = clock;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(CHINA));
    }

    // ---- opening (the insured node)

    @Override
    public Case open(String setlId, String question, int days, Actor actor) {
        if (setlId == null || !setlId.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new IllegalArgumentException("not a setl_id: '" + setlId + "'");
        }
        if (question == null || question.isBlank() || question.length() > 2000) {
            throw new IllegalArgumentException("a case needs its question (what to check), at most 2,000 characters");
        }
        PlainText.refusal("question", question).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        if (days < 1 || days > 60) {
            throw new IllegalArgumentException("the deadline is 1 to 60 days away, not " + days);
        }
        Instant now = clock.instant();
        Case made = db.inTransaction("open an assisted audit of " + setlId, c -> {
            String mdtrtId;
            String treatment;
            String hospital;
            long medfee;
            try (PreparedStatement ps = c.prepareStatement("SELECT mdtrt_id, mdtrtarea_admvs, fixmedins_code, "
                    + "medfee_sumamt, med_type, state, psn_no FROM insured_settlement WHERE setl_id = ?")) {
                ps.setString(1, setlId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(7).isEmpty()) {
                        throw new IllegalArgumentException("no settlement " + setlId + " was applied here for this "
                                + "province's insured");
                    }
                    if ("UNDONE".equals(rs.getString(6))) {
                        throw new IllegalArgumentException("settlement " + setlId + " was reversed: nothing to audit");
                    }
                    if (!"21".equals(rs.getString(5))) {
                        throw new IllegalArgumentException("settlement " + setlId + " is not an inpatient stay (med_type "
                                + rs.getString(5) + "): assisted audits are for stays");
                    }
                    mdtrtId = rs.getString(1);
                    treatment = Admdvs.of(rs.getString(2)).province().code();
                    hospital = rs.getString(3);
                    medfee = rs.getBigDecimal(4).movePointRight(2).longValueExact();
                }
            }
            if (medfee <= THRESHOLD_FEN) {
                throw new IllegalArgumentException("settlement " + setlId + " is " + Money.ofFen(medfee).toYuan()
                        .toPlainString() + " yuan: assisted audits are for stays above 30000.00 yuan");
            }
            if (treatment.equals(self.code())) {
                throw new IllegalArgumentException("settlement " + setlId + " was made in this province: an assisted "
                        + "audit is between two provinces");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT case_id FROM assisted_audit WHERE insured = ? AND setl_id = ?")) {
                ps.setString(1, self.code());
                ps.setString(2, setlId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalArgumentException("settlement " + setlId + " has its case already: "
                                + rs.getString(1));
                    }
                }
            }
            Case k = new Case(self.code() + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                    setlId, mdtrtId, self.code(), treatment, hospital, medfee, question.strip(), now,
                    truncate(actor.name(), 64), today().plusDays(days), State.OPEN, null, null, null, List.of(), 0, null);
            try {
                insert(c, k);
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    // the case the check above did not see yet: opened at the same moment by another request
                    throw new IllegalArgumentException("settlement " + setlId + " has its case already (opened at the "
                            + "same moment by another request: medsettle:assisted-audit-list)");
                }
                throw e;
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "ASSISTED_AUDIT_OPENED", k.caseId(),
                    "settlement " + setlId + " at " + treatment + " (" + Money.ofFen(medfee).toYuan().toPlainString()
                            + " yuan), deadline " + k.deadline() + ": " + k.question()));
            link.enqueue(c, new HubMessage(k.caseId() + "-O", OPEN, self, Admdvs.of(treatment),
                    write(OpenMessage.of(k))));
            return k;
        });
        LOG.info("Assisted audit {} opened by {} on settlement {} at {} ({} yuan), deadline {}; {} is told through the "
                + "hub", made.caseId(), actor.name(), setlId, made.treatment(), Money.ofFen(medfee(made)).toYuan(),
                made.deadline(), made.treatment());
        return made;
    }

    private static long medfee(Case k) {
        return k.medfeeFen();
    }

    // ---- answering (the treatment node)

    @Override
    public Case answer(String caseId, String comment, Actor actor) {
        if (comment == null || comment.isBlank() || comment.length() > 2000) {
            throw new IllegalArgumentException("an answer needs its comment (what the visit's records show), at most "
                    + "2,000 characters");
        }
        PlainText.refusal("comment", comment).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        Instant now = clock.instant();
        Case answered = db.inTransaction("answer assisted audit " + caseId, c -> {
            Case k = find(c, caseId).orElseThrow(() -> new IllegalArgumentException("no assisted audit " + caseId
                    + " at this node"));
            if (!k.treatment().equals(self.code())) {
                throw new IllegalArgumentException("case " + caseId + " is answered by " + k.treatment()
                        + ", where the stay was settled");
            }
            if (k.state() != State.OPEN) {
                throw new IllegalArgumentException("case " + caseId + " was answered already (" + k.answeredAt() + ")");
            }
            List<BillLine> all = bill(c, k.mdtrtId());
            List<BillLine> sent = new ArrayList<>();
            int size = comment.length() + 600;
            for (BillLine l : all) {
                int lineSize = text(l).length() + 3;
                if (size + lineSize > MAX_NOTICE) {
                    break;
                }
                sent.add(l);
                size += lineSize;
            }
            String note = all.isEmpty() ? "no fee lines of visit " + k.mdtrtId() + " at this node"
                    : sent.size() == all.size() ? "all " + all.size() + " fee lines of visit " + k.mdtrtId()
                    : "the " + sent.size() + " largest of " + all.size() + " fee lines of visit " + k.mdtrtId()
                            + " (by amount); the whole bill at " + self + "'s hospital " + k.hospital();
            Case done = new Case(k.caseId(), k.setlId(), k.mdtrtId(), k.insured(), k.treatment(), k.hospital(),
                    k.medfeeFen(), k.question(), k.openedAt(), k.openedBy(), k.deadline(), State.ANSWERED, now,
                    truncate(actor.name(), 64), comment.strip(), sent, all.size(), note);
            if (!updateAnswer(c, done)) {
                throw new IllegalArgumentException("case " + caseId + " was answered already, at the same moment, by "
                        + "another request (medsettle:assisted-audit-show " + caseId + ")");
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "ASSISTED_AUDIT_ANSWERED", caseId,
                    note + ": " + done.comment()));
            link.enqueue(c, new HubMessage(caseId + "-A", ANSWER, self, Admdvs.of(k.insured()),
                    write(AnswerMessage.of(done))));
            return done;
        });
        LOG.info("Assisted audit {} answered by {} ({}); {} is told through the hub", caseId, actor.name(),
                answered.billNote(), answered.insured());
        return answered;
    }

    /** The visit's fee lines in force, the largest first. */
    private static List<BillLine> bill(Connection c, String mdtrtId) throws SQLException {
        List<BillLine> lines = new ArrayList<>();
        for (VisitFees.Line f : VisitFees.lines(c, mdtrtId, true)) {
            lines.add(new BillLine(f.feedetlSn(), f.medListCodg(), f.medinsListCodg(), f.time(), plain(f.pric()),
                    plain(f.cnt()), f.amount().toYuan(), f.chrgitmLv()));
        }
        lines.sort(java.util.Comparator.comparing(BillLine::detItemFeeSumamt).reversed()
                .thenComparing(BillLine::feedetlSn));
        return lines;
    }

    /** Without trailing zeros, never in exponent form (a price of 50, not 5E+1). */
    static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    // ---- notices

    @Override
    public String answer(HubMessage message) {
        Admdvs from = message.from().province();
        switch (message.type()) {
            case OPEN -> {
                OpenMessage o = read(message.body(), OpenMessage.class);
                Case k = o.toCase();
                if (!k.insured().equals(from.code()) || !k.treatment().equals(self.code())) {
                    throw new IllegalArgumentException("case " + k.caseId() + " is not one " + from + " opens for "
                            + self);
                }
                boolean fresh = db.inTransaction("take assisted audit " + k.caseId(), c -> {
                    if (find(c, k.caseId()).isPresent()) {
                        return false;
                    }
                    insert(c, k);
                    audit.record(c, new AuditEvent(clock.instant(), "link:" + from.code(), AuditChannel.LINK,
                            "ASSISTED_AUDIT_OPENED", k.caseId(), from + " asks about settlement " + k.setlId()
                                    + " (visit " + k.mdtrtId() + ", hospital " + k.hospital() + "), deadline "
                                    + k.deadline() + ": " + k.question()));
                    return true;
                });
                if (fresh) {
                    LOG.warn("Assisted audit {}: {} asks about settlement {} (visit {}, hospital {}), answer by {}: "
                            + "medsettle:assisted-audit-answer", k.caseId(), from, k.setlId(), k.mdtrtId(), k.hospital(),
                            k.deadline());
                }
                return "{}";
            }
            case ANSWER -> {
                AnswerMessage a = read(message.body(), AnswerMessage.class);
                boolean fresh = db.inTransaction("take the answer of " + a.caseId(), c -> {
                    Case k = find(c, a.caseId()).orElseThrow(() -> new IllegalArgumentException("no assisted audit "
                            + a.caseId() + " here"));
                    if (!k.treatment().equals(from.code()) || !k.insured().equals(self.code())) {
                        throw new IllegalArgumentException("case " + a.caseId() + " is not " + from + "'s to answer");
                    }
                    if (k.state() == State.ANSWERED) {
                        return false;
                    }
                    Case done = a.onto(k);
                    if (!updateAnswer(c, done)) {
                        return false; // the same notice taken at the same moment through another instance
                    }
                    audit.record(c, new AuditEvent(clock.instant(), "link:" + from.code(), AuditChannel.LINK,
                            "ASSISTED_AUDIT_ANSWERED", k.caseId(), done.billNote() + ": " + done.comment()));
                    return true;
                });
                if (fresh) {
                    LOG.info("Assisted audit {} answered by {}", a.caseId(), from);
                }
                return "{}";
            }
            default -> throw new IllegalArgumentException("not an assisted audit message: " + message.type());
        }
    }

    /** {@code ASSISTED_AUDIT_OPEN}'s body. */
    record OpenMessage(@JsonProperty("case_id") String caseId, @JsonProperty("setl_id") String setlId,
                       @JsonProperty("mdtrt_id") String mdtrtId, @JsonProperty("insured") String insured,
                       @JsonProperty("treatment") String treatment, @JsonProperty("fixmedins_code") String hospital,
                       @JsonProperty("medfee_fen") long medfee, @JsonProperty("question") String question,
                       @JsonProperty("opened_at") String openedAt, @JsonProperty("opened_by") String openedBy,
                       @JsonProperty("deadline") String deadline) {

        static OpenMessage of(Case k) {
            return new OpenMessage(k.caseId(), k.setlId(), k.mdtrtId(), k.insured(), k.treatment(), k.hospital(),
                    k.medfeeFen(), k.question(), k.openedAt().toString(), k.openedBy(), k.deadline().toString());
        }

        Case toCase() {
            if (caseId == null || setlId == null || mdtrtId == null || insured == null || treatment == null
                    || hospital == null || question == null || openedAt == null || openedBy == null || deadline == null
                    || !caseId.matches("[0-9A-Za-z-]{8,40}")) {
                throw new IllegalArgumentException("an assisted audit needs every field");
            }
            return new Case(caseId, setlId, mdtrtId, insured, treatment, hospital, medfee, question,
                    Instant.parse(openedAt), truncate(openedBy, 64), LocalDate.parse(deadline), State.OPEN, null, null,
                    null, List.of(), 0, null);
        }
    }

    /** {@code ASSISTED_AUDIT_ANSWER}'s body; a bill line as {@code sn|codg|medins codg|time|pric|cnt|amount|lv}. */
    record AnswerMessage(@JsonProperty("case_id") String caseId, @JsonProperty("answered_at") String answeredAt,
                         @JsonProperty("answered_by") String answeredBy, @JsonProperty("comment") String comment,
                         @JsonProperty("bill") List<String> bill, @JsonProperty("bill_lines") int billLines,
                         @JsonProperty("bill_note") String billNote) {

        static AnswerMessage of(Case k) {
            return new AnswerMessage(k.caseId(), k.answeredAt().toString(), k.answeredBy(), k.comment(),
                    k.bill().stream().map(AssistedAuditService::text).toList(), k.billLines(), k.billNote());
        }

        Case onto(Case k) {
            if (answeredAt == null || answeredBy == null || comment == null || bill == null || billNote == null) {
                throw new IllegalArgumentException("an answer needs every field");
            }
            return new Case(k.caseId(), k.setlId(), k.mdtrtId(), k.insured(), k.treatment(), k.hospital(),
                    k.medfeeFen(), k.question(), k.openedAt(), k.openedBy(), k.deadline(), State.ANSWERED,
                    Instant.parse(answeredAt), truncate(answeredBy, 64), truncate(comment, 2000),
                    bill.stream().map(AssistedAuditService::line).toList(), billLines, truncate(billNote, 300));
        }
    }

    static String text(BillLine l) {
        return String.join("|", l.feedetlSn(), l.medListCodg(), l.medinsListCodg(), l.feeOcurTime().toString(),
                l.pric().toPlainString(), l.cnt().toPlainString(), l.detItemFeeSumamt().toPlainString(), l.chrgitmLv());
    }

    static BillLine line(String text) {
        String[] p = text.split("\\|", -1);
        if (p.length != 8) {
            throw new IllegalArgumentException("not a bill line: '" + text + "'");
        }
        try {
            return new BillLine(p[0], p[1], p[2], LocalDateTime.parse(p[3]), plain(p[4]), plain(p[5]), plain(p[6]), p[7]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a bill line: '" + text + "'");
        }
    }

    /**
     * A price, quantity or amount of a bill line another node sent: a decimal whose plain digits are few enough to
     * show ({@code 1e99999999} would be written out as a hundred million digits wherever the case is shown).
     */
    private static BigDecimal plain(String text) {
        BigDecimal value = new BigDecimal(text);
        if (org.medsettle.api.Decimals.shown(value).indexOf('E') >= 0) {
            throw new IllegalArgumentException("too large or too fine: " + text);
        }
        return value;
    }

    private static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    // ---- rows

    private static void insert(Connection c, Case k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assisted_audit (case_id, setl_id, mdtrt_id, insured, "
                + "treatment, fixmedins_code, medfee_fen, question, opened_at, opened_by, deadline, state, bill_lines) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', 0)")) {
            ps.setString(1, k.caseId());
            ps.setString(2, k.setlId());
            ps.setString(3, k.mdtrtId());
            ps.setString(4, k.insured());
            ps.setString(5, k.treatment());
            ps.setString(6, k.hospital());
            ps.setLong(7, k.medfeeFen());
            ps.setString(8, truncate(k.question(), 2000));
            ps.setTimestamp(9, Timestamp.from(k.openedAt()));
            ps.setString(10, k.openedBy());
            ps.setDate(11, Date.valueOf(k.deadline()));
            ps.executeUpdate();
        }
    }

    /** Whether this answer was written: false if another answered the case since it was read (it is no longer OPEN). */
    private static boolean updateAnswer(Connection c, Case k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE assisted_audit SET state = 'ANSWERED', answered_at = ?, "
                + "answered_by = ?, answer_comment = ?, bill = ?, bill_lines = ?, bill_note = ? WHERE case_id = ? "
                + "AND state = 'OPEN'")) {
            ps.setTimestamp(1, Timestamp.from(k.answeredAt()));
            ps.setString(2, k.answeredBy());
            ps.setString(3, k.comment());
            ps.setString(4, String.join("\n", k.bill().stream().map(AssistedAuditService::text).toList()));
            ps.setInt(5, k.billLines());
            ps.setString(6, k.billNote());
            ps.setString(7, k.caseId());
            return ps.executeUpdate() == 1;
        }
    }

    private static final String COLUMNS = "case_id, setl_id, mdtrt_id, insured, treatment, fixmedins_code, medfee_fen, "
            + "question, opened_at, opened_by, deadline, state, answered_at, answered_by, answer_comment, bill, "
            + "bill_lines, bill_note";

    private static Optional<Case> find(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM assisted_audit WHERE case_id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Case row(ResultSet rs) throws SQLException {
        Timestamp answered = rs.getTimestamp(13);
        String bill = rs.getString(16);
        return new Case(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getTimestamp(9).toInstant(), rs.getString(10),
                rs.getDate(11).toLocalDate(), State.valueOf(rs.getString(12)),
                answered == null ? null : answered.toInstant(), rs.getString(14), rs.getString(15),
                bill == null || bill.isEmpty() ? List.of() : bill.lines().map(AssistedAuditService::line).toList(),
                rs.getInt(17), rs.getString(18));
    }

    @Override
    public List<Case> cases(boolean openOnly, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit: from 1 to " + MAX_LIST + " cases, not " + limit);
        }
        // through an index in the order asked (V2), so that only the cases shown are read, never the whole table and
        // its bills: Derby's optimizer would scan and sort the table for the whole list, not counting on the FETCH
        // FIRST, so its documented override names the index (an SQL comment to PostgreSQL, which plans for the limit)
        String sql = "SELECT " + COLUMNS + " FROM assisted_audit" + (openOnly ? " WHERE state = 'OPEN'"
                : " --DERBY-PROPERTIES index=assisted_audit_newest\n") + " ORDER BY opened_at DESC FETCH FIRST "
                + limit + " ROWS ONLY";
        return db.inTransaction("read the assisted audits", c -> {
            List<Case> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(row(rs));
                }
            }
            return list;
        });
    }

    @Override
    public Optional<Case> get(String caseId) {
        return db.inTransaction("read an assisted audit", c -> find(c, caseId));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    // ---- health

    @Override
    public String name() {
        return "assisted-audit";
    }

    /** How many overdue cases the health check names; the rest it counts. */
    static final int OVERDUE_NAMED = 5;

    @Override
    public HealthResult check() {
        LocalDate today = today();
        // the open cases only (index assisted_audit_open), without their bills: every probe runs this
        record Open(String caseId, String setlId, String insured, String treatment, LocalDate deadline) {
        }
        List<Open> overdue = new ArrayList<>();
        int open = db.inTransaction("count the open assisted audits", c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT case_id, setl_id, insured, treatment, deadline "
                    + "FROM assisted_audit WHERE state = 'OPEN'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                    LocalDate deadline = rs.getDate(5).toLocalDate();
                    if (today.isAfter(deadline)) {
                        overdue.add(new Open(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                deadline));
                    }
                }
            }
            return n;
        });
        overdue.sort(Comparator.comparing(Open::deadline).thenComparing(Open::caseId));
        List<String> named = overdue.stream().limit(OVERDUE_NAMED)
                .map(k -> k.caseId() + " (settlement " + k.setlId() + ", " + (k.insured().equals(self.code())
                        ? "asked of " + k.treatment() : "to answer for " + k.insured()) + ", deadline " + k.deadline()
                        + ")").toList();
        String more = overdue.size() > named.size() ? "; and " + (overdue.size() - named.size())
                + " more (medsettle:assisted-audit-list --open)" : "";
        // an overdue case is the agencies' matter: reported, never a reason to take the node out of service
        return HealthResult.ok(open + " case(s) open" + (overdue.isEmpty() ? ", none overdue"
                : ", " + overdue.size() + " OVERDUE, the oldest deadlines first: " + String.join("; ", named) + more));
    }
}
