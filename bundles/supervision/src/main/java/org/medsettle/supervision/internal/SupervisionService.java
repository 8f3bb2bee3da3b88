package org.medsettle.supervision.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.BusinessClock;
import org.medsettle.api.his.VisitFees;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.medsettle.api.supervision.Supervision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervision rules of a treatment node (tables {@code supervision_flag}, {@code identity_check_failure}: this
 * component is their only writer). It reads, in the settlement's transaction, the treatment node's {@code visit} and
 * fee lines (the treatment bundle's tables, read only; the lines through {@link VisitFees}), applies {@link Rules} with the settings of
 * {@value #PID} (changed without a restart) and records the findings in the same transaction. Health check
 * {@value #NAME}: how many flags wait for review; never a reason to take the node out of service.
 */
@Component(service = {Supervision.class, HealthCheck.class}, configurationPid = SupervisionService.PID)
public class SupervisionService implements Supervision, HealthCheck {

    static final String PID = "org.medsettle.supervision";
    static final String NAME = "supervision";
    static final ZoneId CHINA = BusinessClock.ZONE;
    static final int MAX_COMMENT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SupervisionService.class);
    private static final String FLAG = "flag_id, flagged_at, rule_name, rule_mode, outcome, fixmedins_code, mdtrt_id, "
            + "psn_no, setl_id, detail, review, reviewed_at, reviewed_by, review_comment";

    private final Transactor db;
    private final AuditLog audit;
    private final Catalogue catalogue;
    private final Clock clock;
    private volatile RuleSettings settings = RuleSettings.DEFAULT;

    @Activate
    public SupervisionService(@Reference Transactor db, @Reference AuditLog audit, @Reference Catalogue catalogue,
                              @Reference(target = "(owner=medsettle-supervision)") SchemaReady schema,
                              Map<String, Object> properties) {
        this(db, audit, catalogue, org.medsettle.api.BusinessClock.system());
        modified(properties);
        LOG.info("Supervision rules at schema version {}: {}", schema.version(), describe(settings));
    }

    /** For tests (a factory, not a public constructor: docs/stack.md, trap 55): default settings. */
    public static SupervisionService of(Transactor db, AuditLog audit, Catalogue catalogue, Clock clock) {
        return new SupervisionService(db, audit, catalogue, clock);
    }

    private SupervisionService(Transactor db, AuditLog audit, Catalogue catalogue, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** New settings from {@code etc/org.medsettle.supervision.cfg}, without a restart. */
    @Modified
    public void modified(Map<String, ?> properties) {
        RuleSettings next = RuleSettings.of(properties == null ? Map.of() : properties);
        for (String problem : next.problems()) {
            LOG.warn("etc/{}.cfg: {}", PID, problem);
        }
        if (!next.equals(settings)) {
            LOG.info("Supervision rules now: {}", describe(next));
        }
        settings = next;
    }

    private static String describe(RuleSettings s) {
        return String.join("; ", java.util.Arrays.stream(Rule.values()).map(r -> r.key() + " "
                + s.mode(r).name().toLowerCase(Locale.ROOT) + (s.describe(r).isEmpty() ? "" : " (" + s.describe(r)
                + ")")).toList());
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(CHINA));
    }

    // ---- the rules on a visit

    @Override
    public Verdict check(Connection c, String mdtrtId, LocalDateTime asOf) throws SQLException {
        return check(c, mdtrtId, asOf, null);
    }

    @Override
    public Verdict check(Connection c, String mdtrtId, LocalDateTime asOf, List<VisitFees.Line> activeLines)
            throws SQLException {
        Stay visit = visit(c, mdtrtId).orElseThrow(() -> new IllegalArgumentException("no visit "
                + mdtrtId));
        return check(c, visit, asOf, activeLines);
    }

    @Override
    public Verdict check(Connection c, Stay visit, LocalDateTime asOf, List<VisitFees.Line> activeLines)
            throws SQLException {
        String mdtrtId = visit.mdtrtId();
        RuleSettings s = settings;
        if (java.util.Arrays.stream(Rule.values()).allMatch(r -> s.mode(r) == Mode.OFF)) {
            return new Verdict(visit.mdtrtId(), visit.psnNo(), visit.hospital(), List.of());
        }
        List<StayFacts.Line> lines = lines(activeLines != null ? activeLines : VisitFees.lines(c, mdtrtId, true),
                true);
        Optional<LocalDateTime> first = lines.stream().map(StayFacts.Line::time).min(LocalDateTime::compareTo);
        Optional<LocalDateTime> last = lines.stream().map(StayFacts.Line::time).max(LocalDateTime::compareTo);
        History history = history(c, visit, Rules.end(visit, asOf), first, last,
                s.mode(Rule.IDENTITY_CHECK_FAILED) == Mode.OFF ? Optional.empty()
                        : Optional.of(visit.begin().minusDays(s.identityWindowDays())));
        List<StayFacts.Line> elsewhere = List.of();
        if (first.isPresent()) {
            // the lines of the person's settled visits at the times of this visit's lines (a repeat has the same
            // time), with the lines reversing them wherever they are dated: of the visits whose span of fee times
            // (every line ever uploaded to them, reversing ones included) meets this visit's lines — the others
            // have no line at those times, and their reversing lines reverse only their own
            List<VisitFees.Line> there = new ArrayList<>();
            for (String other : history.settledWithFeesMeeting()) {
                there.addAll(VisitFees.activeBetween(c, other, first.get(), last.get()));
            }
            elsewhere = lines(there, false);
        }
        StayFacts facts = new StayFacts(visit, lines, history.stays(), elsewhere, history.identityFailures());
        return new Verdict(visit.mdtrtId(), visit.psnNo(), visit.hospital(), Rules.findings(facts, asOf, s));
    }

    private static Optional<Stay> visit(Connection c, String mdtrtId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT mdtrt_id, psn_no, fixmedins_code, med_type, begntime, "
                + "endtime, state FROM visit WHERE mdtrt_id = ?")) {
            ps.setString(1, mdtrtId);
            List<Stay> v = visits(ps);
            return v.stream().findFirst();
        }
    }

    /**
     * What the rules compare {@code visit} with, of the person's history at this node. {@code stays}: the person's
     * other visits (not cancelled) that can meet it while it lasts until {@code end} — admitted by then, and not over
     * before it began (not discharged, discharged at or after its admission, or admitted at or after it); every visit
     * the overlap rule can find ({@link Rules#overlappingStays}) is among them, by admission.
     * {@code settledWithFeesMeeting}: the settled ones whose span of fee times ({@code fee_first}..{@code fee_last}; a
     * visit without lines has none, and no line to compare) meets this visit's lines' {@code first}..{@code last}, when
     * it has lines, by {@code mdtrt_id}. {@code identityFailures}: the person's failed identity checks (1101) since the
     * rule's window began, oldest first.
     */
    record History(List<Stay> stays, List<String> settledWithFeesMeeting,
                   List<StayFacts.IdentityFailure> identityFailures) {
    }

    /** The last time a TIMESTAMP holds, in Derby and PostgreSQL alike. */
    private static final Timestamp LAST_TIME = Timestamp.valueOf("9999-12-31 23:59:59");

    /**
     * {@link History} in one statement, each part of it a range of an index on the person's visits (store schema
     * {@code db/treatment} V6) whose other bound is tested on the index entry before the visit is read, so that what it
     * reads is the visits that can meet {@code visit}, not the person's whole history at the node (a chronic patient's
     * hundreds: read and tested row by row from the {@code psn_no} index until session 31, 18 % of a treatment node's
     * samples on a demo of 233 visits per person, docs/performance.md):
     * <ul>
     *   <li>not discharged ({@code endtime IS NULL}, index {@code visit_person_end}) and admitted by {@code end};</li>
     *   <li>discharged at or after {@code visit}'s admission (the same index) and admitted by {@code end} — a visit
     *       admitted at or after it is among them, since a discharge is never before its admission (2402 refuses one,
     *       {@code PlausibleDates});</li>
     *   <li>settled, with fee lines whose span meets {@code first}..{@code last} (index {@code visit_person_fees}): a
     *       visit without lines has none to compare;</li>
     *   <li>the failed identity checks since {@code identitySince} (none asked for while the identity rule is off),
     *       marked {@code I} in the last column.</li>
     * </ul>
     * A visit can come in more than one part; it is taken once, and sorted by admission as the rules report them.
     */
    private static History history(Connection c, Stay visit, LocalDateTime end, Optional<LocalDateTime> first,
                                   Optional<LocalDateTime> last, Optional<LocalDateTime> identitySince)
            throws SQLException {
        boolean withFees = first.isPresent();
        // each part names its index: on a node with a history Derby took visit_person_fees for the discharged ones,
        // reading every visit of the person again (docs/stack.md, trap 66)
        String visits = "SELECT mdtrt_id, psn_no, fixmedins_code, med_type, begntime, endtime, state, fee_first, "
                + "fee_last, CAST(NULL AS VARCHAR(300)), 'V' FROM visit --DERBY-PROPERTIES index=";
        String byPerson = "\n WHERE psn_no = ? AND mdtrt_id <> ? AND ";
        String open = visits + "visit_person_end" + byPerson
                + "endtime IS NULL AND begntime <= ? AND state <> 'CANCELLED'";
        // the ranges end at the last time there is: the entries of visits without one (NULL sorts last) are not in them
        String ended = " UNION ALL " + visits + "visit_person_end" + byPerson
                + "endtime BETWEEN ? AND ? AND begntime <= ? AND state <> 'CANCELLED'";
        String feesMeet = " UNION ALL " + visits + "visit_person_fees" + byPerson
                + "fee_last BETWEEN ? AND ? AND fee_first <= ? AND state = 'SETTLED'";
        String failures = " UNION ALL SELECT CAST(NULL AS VARCHAR(40)), psn_no, fixmedins_code, CAST(NULL AS CHAR(2)), "
                + "checked_at, CAST(NULL AS TIMESTAMP), CAST(NULL AS VARCHAR(12)), CAST(NULL AS TIMESTAMP), "
                + "CAST(NULL AS TIMESTAMP), what, 'I' FROM identity_check_failure WHERE psn_no = ? AND checked_at >= ?";
        Map<String, Stay> stays = new HashMap<>();
        java.util.Set<String> settled = new java.util.TreeSet<>();
        List<StayFacts.IdentityFailure> identity = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(open + ended + (withFees ? feesMeet : "")
                + (identitySince.isPresent() ? failures : ""))) {
            Timestamp begin = Timestamp.valueOf(visit.begin());
            Timestamp until = Timestamp.valueOf(end);
            int i = 1;
            ps.setString(i++, visit.psnNo());
            ps.setString(i++, visit.mdtrtId());
            ps.setTimestamp(i++, until);
            ps.setString(i++, visit.psnNo());
            ps.setString(i++, visit.mdtrtId());
            ps.setTimestamp(i++, begin);
            ps.setTimestamp(i++, LAST_TIME);
            ps.setTimestamp(i++, until);
            if (withFees) {
                ps.setString(i++, visit.psnNo());
                ps.setString(i++, visit.mdtrtId());
                ps.setTimestamp(i++, Timestamp.valueOf(first.get()));
                ps.setTimestamp(i++, LAST_TIME);
                ps.setTimestamp(i++, Timestamp.valueOf(last.get()));
            }
            if (identitySince.isPresent()) {
                ps.setString(i++, visit.psnNo());
                ps.setTimestamp(i, Timestamp.valueOf(identitySince.get()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("I".equals(rs.getString(11))) {
                        identity.add(new StayFacts.IdentityFailure(rs.getString(3), rs.getTimestamp(5).toLocalDateTime(),
                                rs.getString(10)));
                        continue;
                    }
                    Stay other = stay(rs);
                    if (!other.begin().isAfter(end) && (other.end().isEmpty()
                            || !other.end().get().isBefore(visit.begin()) || !other.begin().isBefore(visit.begin()))) {
                        stays.putIfAbsent(other.mdtrtId(), other);
                    }
                    Timestamp feeFirst = rs.getTimestamp(8);
                    Timestamp feeLast = rs.getTimestamp(9);
                    if (withFees && "SETTLED".equals(other.state()) && feeFirst != null
                            && !feeFirst.toLocalDateTime().isAfter(last.get()) && feeLast != null
                            && !feeLast.toLocalDateTime().isBefore(first.get())) {
                        settled.add(other.mdtrtId());
                    }
                }
            }
        }
        identity.sort(java.util.Comparator.comparing(StayFacts.IdentityFailure::checkedAt));
        List<Stay> meeting = new ArrayList<>(stays.values());
        meeting.sort(java.util.Comparator.comparing(Stay::begin).thenComparing(Stay::mdtrtId));
        return new History(meeting, List.copyOf(settled), identity);
    }

    private static List<Stay> visits(PreparedStatement ps) throws SQLException {
        List<Stay> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(stay(rs));
            }
        }
        return out;
    }

    /** A visit from a row whose first seven columns are mdtrt_id … state, as the queries here select them. */
    private static Stay stay(ResultSet rs) throws SQLException {
        Timestamp end = rs.getTimestamp(6);
        return new Stay(rs.getString(1), rs.getString(2), rs.getString(3), "21".equals(rs.getString(4)),
                rs.getTimestamp(5).toLocalDateTime(), Optional.ofNullable(end).map(Timestamp::toLocalDateTime),
                rs.getString(7));
    }

    /** Active lines as the rules see them: each reversing line netted into the line it takes back. */
    private List<StayFacts.Line> lines(List<VisitFees.Line> fees, boolean named) {
        record Raw(String mdtrtId, String sn, String code, LocalDateTime time, BigDecimal cnt, String reverses) {
        }
        List<Raw> raw = new ArrayList<>(fees.size());
        for (VisitFees.Line f : fees) {
            raw.add(new Raw(f.mdtrtId(), f.feedetlSn(), f.medListCodg(), f.time(), f.cnt(), f.reverses().orElse(null)));
        }
        Map<String, BigDecimal> net = new HashMap<>();
        for (Raw r : raw) {
            if (r.reverses() == null) {
                net.merge(r.mdtrtId() + "/" + r.sn(), r.cnt(), BigDecimal::add);
            }
        }
        for (Raw r : raw) {
            if (r.reverses() != null) {
                net.computeIfPresent(r.mdtrtId() + "/" + r.reverses(), (k, v) -> v.add(r.cnt()));
            }
        }
        List<StayFacts.Line> out = new ArrayList<>();
        Map<String, Optional<CatalogueEntry>> entries = new LinkedHashMap<>();
        for (Raw r : raw) {
            if (r.reverses() != null) {
                continue;
            }
            Optional<CatalogueEntry> e = named ? entries.computeIfAbsent(r.code() + "@" + r.time().toLocalDate(),
                    k -> catalogue.lookup(r.code(), r.time().toLocalDate())) : Optional.empty();
            out.add(new StayFacts.Line(r.mdtrtId(), r.sn(), r.code(), e.map(CatalogueEntry::name).orElse(""),
                    e.map(CatalogueEntry::kind).orElse(""), r.time(), net.get(r.mdtrtId() + "/" + r.sn())));
        }
        return out;
    }

    @Override
    public void record(Connection c, Verdict verdict, Optional<String> setlId) throws SQLException {
        if (verdict.findings().isEmpty()) {
            return;
        }
        LocalDateTime now = now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO supervision_flag (flag_id, flagged_at, rule_name, "
                + "rule_mode, outcome, fixmedins_code, mdtrt_id, psn_no, setl_id, detail, review) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN')")) {
            for (Finding f : verdict.findings()) {
                if (f.mode() == Mode.OFF) {
                    continue;
                }
                ps.setLong(1, db.nextId("supervision_flag"));
                ps.setTimestamp(2, Timestamp.valueOf(now));
                ps.setString(3, f.rule().key());
                ps.setString(4, f.mode().name());
                ps.setString(5, (setlId.isPresent() ? Outcome.SETTLED : Outcome.REFUSED).name());
                ps.setString(6, verdict.hospital());
                ps.setString(7, verdict.mdtrtId());
                ps.setString(8, verdict.psnNo());
                ps.setString(9, setlId.orElse(null));
                ps.setString(10, truncate(f.detail(), Rules.MAX_DETAIL));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (setlId.isEmpty()) {
            LOG.warn("Settlement of visit {} at {} refused by the supervision rules: {}", verdict.mdtrtId(),
                    verdict.hospital(), String.join(", ", verdict.blocking().stream().map(f -> f.rule().key())
                            .toList()));
        } else {
            LOG.info("Settlement {} of visit {} at {} flagged for review: {}", setlId.get(), verdict.mdtrtId(),
                    verdict.hospital(), String.join(", ", verdict.findings().stream().map(f -> f.rule().key())
                            .toList()));
        }
    }

    // ---- identity checks (1101)

    @Override
    public Optional<Finding> identityCheck(IdentityCheck check) {
        Mode mode = settings.mode(Rule.IDENTITY_CHECK_FAILED);
        if (mode == Mode.OFF) {
            return Optional.empty();
        }
        List<String> what = new ArrayList<>();
        check.givenName().map(String::strip).filter(n -> !n.isEmpty())
                .filter(n -> !n.equals(check.recordName() == null ? "" : check.recordName().strip()))
                .ifPresent(n -> what.add("the name given (psn_name) is not the insured record's"));
        check.givenCertno().map(n -> n.strip().toUpperCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                .filter(n -> !n.equals(check.recordCertno() == null ? "" : check.recordCertno().toUpperCase(Locale.ROOT)))
                .ifPresent(n -> what.add("the ID number given (certno) is not the insured record's"));
        if (what.isEmpty()) {
            return Optional.empty();
        }
        String detail = String.join(" and ", what);
        db.inTransaction("record a failed identity check of " + check.psnNo(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_check_failure (failure_id, psn_no, "
                    + "fixmedins_code, checked_at, what) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, db.nextId("identity_check_failure"));
                ps.setString(2, check.psnNo());
                ps.setString(3, check.hospital());
                ps.setTimestamp(4, Timestamp.valueOf(check.time()));
                ps.setString(5, detail);
                ps.executeUpdate();
            }
            return null;
        });
        LOG.warn("Identity check of person {} by {} failed: {} ({})", check.psnNo(), check.hospital(), detail,
                mode == Mode.BLOCK ? "refused" : "flagged on the person's settlements");
        return Optional.of(new Finding(Rule.IDENTITY_CHECK_FAILED, mode, detail));
    }

    // ---- flags and their review

    @Override
    public List<Flag> flags(FlagQuery q) {
        if (q.limit() < 1 || q.limit() > 10_000) {
            throw new IllegalArgumentException("limit: from 1 to 10000 flags, not " + q.limit());
        }
        // the newest first through index supervision_flag_newest (V3), read only as far as the list goes; the open
        // ones through supervision_flag_open (a sort of those waiting for review); one visit's through its own index
        // (a sort of its few flags). Derby's optimizer, not counting on the FETCH FIRST nor knowing the review asked
        // for, would read the whole table, so its documented override names the index (an SQL comment to PostgreSQL)
        String index = q.mdtrtId().isPresent() ? "supervision_flag_visit"
                : q.review().filter(r -> r == Review.OPEN).isPresent() ? "supervision_flag_open"
                : "supervision_flag_newest";
        StringBuilder sql = new StringBuilder("SELECT " + FLAG + " FROM supervision_flag --DERBY-PROPERTIES index="
                + index + "\n WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.rule().ifPresent(r -> {
            sql.append(" AND rule_name = ?");
            args.add(r.key());
        });
        q.hospital().ifPresent(h -> {
            sql.append(" AND fixmedins_code = ?");
            args.add(h);
        });
        q.psnNo().ifPresent(p -> {
            sql.append(" AND psn_no = ?");
            args.add(p);
        });
        q.mdtrtId().ifPresent(m -> {
            sql.append(" AND mdtrt_id = ?");
            args.add(m);
        });
        q.review().ifPresent(r -> {
            sql.append(" AND review = ?");
            args.add(r.name());
        });
        q.from().ifPresent(d -> {
            sql.append(" AND flagged_at >= ?");
            args.add(Timestamp.valueOf(d.atStartOfDay()));
        });
        q.to().ifPresent(d -> {
            sql.append(" AND flagged_at < ?");
            args.add(Timestamp.valueOf(d.plusDays(1).atStartOfDay()));
        });
        sql.append(" ORDER BY flagged_at DESC, flag_id DESC FETCH FIRST " + q.limit() + " ROWS ONLY");
        return db.inTransaction("read supervision flags", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                return flags(ps);
            }
        });
    }

    private static List<Flag> flags(PreparedStatement ps) throws SQLException {
        List<Flag> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp reviewed = rs.getTimestamp(12);
                out.add(new Flag(rs.getLong(1), rs.getTimestamp(2).toLocalDateTime(),
                        Rule.ofKey(rs.getString(3)).orElseThrow(), Mode.valueOf(rs.getString(4)),
                        Outcome.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                        Optional.ofNullable(rs.getString(9)), rs.getString(10), Review.valueOf(rs.getString(11)),
                        Optional.ofNullable(reviewed).map(Timestamp::toLocalDateTime),
                        Optional.ofNullable(rs.getString(13)), Optional.ofNullable(rs.getString(14))));
            }
        }
        return out;
    }

    @Override
    public Flag review(long flagId, Review review, String comment, Actor actor) {
        if (review == null || review == Review.OPEN) {
            throw new IllegalArgumentException("a review confirms or dismisses a flag: confirmed or dismissed");
        }
        if (comment == null || comment.isBlank() || comment.length() > MAX_COMMENT) {
            throw new IllegalArgumentException("a review needs its comment (what was found), at most "
                    + MAX_COMMENT + " characters");
        }
        LocalDateTime now = now();
        return db.inTransaction("review supervision flag " + flagId, c -> {
            Flag f = flag(c, flagId).orElseThrow(() -> new IllegalArgumentException("no supervision flag " + flagId
                    + " at this node (medsettle:supervision-flags lists them)"));
            if (f.review() != Review.OPEN) {
                throw new IllegalArgumentException("flag " + flagId + " was " + f.review().name().toLowerCase(Locale.ROOT)
                        + " already by " + f.reviewedBy().orElse("?") + " on " + f.reviewedAt().map(Rules.TIME::format)
                        .orElse("?"));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE supervision_flag SET review = ?, reviewed_at = ?, "
                    + "reviewed_by = ?, review_comment = ? WHERE flag_id = ? AND review = 'OPEN'")) {
                ps.setString(1, review.name());
                ps.setTimestamp(2, Timestamp.valueOf(now));
                ps.setString(3, truncate(actor.name(), 64));
                ps.setString(4, comment.strip());
                ps.setLong(5, flagId);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalArgumentException("flag " + flagId + " was reviewed meanwhile");
                }
            }
            audit.record(c, new AuditEvent(clock.instant(), actor.name(), actor.channel(), "SUPERVISION_FLAG_REVIEWED",
                    "flag " + flagId, f.rule().key() + " on visit " + f.mdtrtId() + f.setlId().map(s -> " (settlement "
                    + s + ")").orElse(" (refused)") + " " + review.name().toLowerCase(Locale.ROOT) + ": "
                    + truncate(comment.strip(), 1500)));
            return flag(c, flagId).orElseThrow();
        });
    }

    @Override
    public Optional<Flag> flag(long flagId) {
        return db.inTransaction("read supervision flag " + flagId, c -> flag(c, flagId));
    }

    private static Optional<Flag> flag(Connection c, long flagId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + FLAG + " FROM supervision_flag WHERE flag_id = ?")) {
            ps.setLong(1, flagId);
            return flags(ps).stream().findFirst();
        }
    }

    @Override
    public List<RuleSetting> rules() {
        RuleSettings s = settings;
        return java.util.Arrays.stream(Rule.values()).map(r -> new RuleSetting(r, s.mode(r), s.describe(r))).toList();
    }

    /** Settings that could not be read (each kept its default). */
    List<String> problems() {
        return settings.problems();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    // ---- health

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HealthResult check() {
        record Open(long count, Timestamp oldest) {
        }
        Open open = db.inTransaction("count open supervision flags", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(flagged_at) FROM supervision_flag "
                    + "WHERE review = 'OPEN'"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Open(rs.getLong(1), rs.getTimestamp(2));
            }
        });
        List<String> problems = settings.problems();
        // flags are the agencies' matter: reported, never a reason to take the node out of service
        return HealthResult.ok(open.count() + " flag(s) waiting for review" + (open.oldest() == null ? ""
                : ", the oldest of " + Rules.TIME.format(open.oldest().toLocalDateTime())) + "; "
                + rules().stream().filter(r -> r.mode() != Mode.FLAG).map(r -> r.rule().key() + " "
                + r.mode().name().toLowerCase(Locale.ROOT)).reduce((a, b) -> a + ", " + b).map(s -> s + ", others flag")
                .orElse("every rule flags") + (problems.isEmpty() ? "" : "; SETTINGS NOT READ: "
                + String.join("; ", problems)));
    }

    /** For the console and tests: today in China. */
    LocalDate today() {
        return now().toLocalDate();
    }
}
