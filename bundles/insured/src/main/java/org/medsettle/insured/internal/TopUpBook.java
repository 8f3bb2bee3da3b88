package org.medsettle.insured.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.medsettle.api.Admdvs;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Money;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkRequestHandler;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.person.PersonRegistry;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.TreatmentDifferenceTopUp;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.medsettle.api.topup.TopUp;
import org.medsettle.api.topup.TopUpState;
import org.medsettle.api.topup.TopUps;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The top-ups of the treatment difference (待遇补差) this province owes its insured persons (table
 * {@code insured_top_up}, which this bundle alone writes).
 *
 * <p>A treatment node sends notice {@code TOP_UP} with the settlement that carries one; it is recorded once per
 * {@code setl_id}, after checks against what this node knows: the person is insured here, the sender is the place of
 * treatment, the settlement date is real, and this province's own policy in force on that date pays a top-up that
 * gives exactly that amount for those two fund payments (else it is recorded CANCELLED with the reason, for the
 * agency to review). Recording posts {@code TOP_UP}: {@code fund:topup} (the fund line of its own) against
 * {@code topup:payable} (owed to persons). It is payable once its settlement is applied here and its month cleared
 * (the clearing line of the settlement CLEARED, or, for a settlement no fund paid, the month's clearing closed);
 * paying posts {@code TOP_UP_PAID} ({@code topup:payable} against {@code bank}); cancelling posts
 * {@code TOP_UP_CANCELLED} (the recording taken back); a paid one whose settlement is undone becomes RECOVER
 * ({@code TOP_UP_RECOVER}: {@code topup:recover}, owed by the person, against {@code fund:topup}). Every change is
 * committed with its posting and audit record.
 */
@Component(service = {TopUps.class, LinkRequestHandler.class},
        property = LinkRequestHandler.TYPES + "=" + TopUpBook.NOTICE)
public class TopUpBook implements TopUps, LinkRequestHandler {

    static final String NOTICE = "TOP_UP";
    static final String POSTED = "TOP_UP";
    static final String PAID = "TOP_UP_PAID";
    static final String CANCELLED = "TOP_UP_CANCELLED";
    static final String RECOVERED = "TOP_UP_RECOVER";
    private static final ZoneId CHINA = BusinessClock.ZONE;
    /** Strict: 2026-02-30 is not a day (the lenient default would read 2026-02-28). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    private static final Logger LOG = LoggerFactory.getLogger(TopUpBook.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Transactor db;
    private final AuditLog audit;
    private final Ledger ledger;
    private final InstanceIdentity identity;
    private final PersonRegistry persons;
    private final PolicyRegistry policies;
    private final Clock clock;

    @Activate
    public TopUpBook(@Reference Transactor db, @Reference AuditLog audit, @Reference Ledger ledger,
                     @Reference InstanceIdentity identity, @Reference PersonRegistry persons,
                     @Reference PolicyRegistry policies,
                     @Reference(target = "(owner=medsettle-insured)") SchemaReady schema,
                     // the clearing's tables are read to know when a top-up is payable
                     @Reference(target = "(owner=medsettle-clearing)") SchemaReady clearingSchema) {
        this(db, audit, ledger, identity, persons, policies, Clock.systemUTC());
    }

    /** Without OSGi (tests): the schemas applied by the caller. */
    public TopUpBook(Transactor db, AuditLog audit, Ledger ledger, InstanceIdentity identity, PersonRegistry persons,
                     PolicyRegistry policies, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.ledger = ledger;
        this.identity = identity;
        this.persons = persons;
        this.policies = policies;
        this.clock = clock;
    }

    // ---- the notice

    @Override
    public String answer(HubMessage message) {
        if (!NOTICE.equals(message.type())) {
            throw new IllegalArgumentException("not a top-up notice: " + message.type());
        }
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        Admdvs from = message.from().province();
        Notice n = Notice.read(body);
        Admdvs self = identity.admdvs().province();
        if (from.equals(self)) {
            throw new IllegalArgumentException("a top-up is owed for treatment in another province, not " + from);
        }
        if (persons.byPsnNo(n.psnNo()).isEmpty()) {
            throw new IllegalStateException("psn_no: no person insured in " + self + " has number " + n.psnNo());
        }
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), CHINA);
        if (n.setlTime().isAfter(now.plusDays(1)) || n.setlTime().getYear() < 2000) {
            throw new IllegalArgumentException("setl_time: " + n.setlTime() + " is not a real settlement time (now "
                    + now.format(TIME) + ")");
        }
        // what this province's own policy says of it: the same amount, or a case for the agency
        String refusal = null;
        String version;
        try {
            var policy = policies.inForce(self, n.policyDate()).policy();
            version = policy.version();
            Optional<TreatmentDifferenceTopUp> option = policy.treatmentDifferenceTopUp();
            if (option.isEmpty()) {
                refusal = "this province's policy " + version + " in force on " + n.policyDate()
                        + " pays no top-up (the treatment node computed under " + n.policyVersion() + ")";
            } else {
                Money expected = option.get().amount(n.medType(), n.directFundPay(), n.manualFundPay());
                if (!expected.equals(n.amount())) {
                    refusal = "this province's policy " + version + " gives " + expected + " for those fund payments ("
                            + n.directFundPay() + " direct, " + n.manualFundPay() + " at home), not " + n.amount()
                            + " (the treatment node computed under " + n.policyVersion() + ")";
                }
            }
        } catch (RuntimeException e) {
            refusal = "no policy of this province is in force on " + n.policyDate() + ": " + e.getMessage();
        }
        String why = refusal;
        Instant at = clock.instant();
        Boolean fresh = db.inTransaction("record top-up " + n.setlId(), c -> record(c, n, from, why, at));
        if (fresh && why == null) {
            LOG.info("Top-up (待遇补差) {} of settlement {} recorded for person {} (treated in {}); payable after the "
                    + "clearing of {}", n.amount(), n.setlId(), n.psnNo(), from, YearMonth.from(n.setlTime()));
        } else if (fresh) {
            LOG.warn("Top-up (待遇补差) {} of settlement {} for person {} from {} recorded CANCELLED: {} "
                    + "(medsettle:topup-list --state CANCELLED)", n.amount(), n.setlId(), n.psnNo(), from, why);
        }
        return "{\"recorded\":" + fresh + "}";
    }

    /** A {@code TOP_UP} notice, read and checked for shape. */
    record Notice(String setlId, String psnNo, String mdtrtId, String fixmedinsCode, MedicalType medType,
                  LocalDateTime setlTime, Money amount, Money directFundPay, Money manualFundPay, String policyVersion,
                  java.time.LocalDate policyDate, String catalogue) {

        static Notice read(JsonNode b) {
            MedicalType medType;
            try {
                medType = MedicalType.ofCode(text(b, "med_type", 2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("med_type: " + e.getMessage());
            }
            LocalDateTime time;
            try {
                time = LocalDateTime.parse(text(b, "setl_time", 19), TIME);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("setl_time: yyyy-MM-dd HH:mm:ss, not " + b.path("setl_time"));
            }
            java.time.LocalDate policyDate;
            try {
                policyDate = java.time.LocalDate.parse(text(b, "policy_date", 10));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("policy_date: yyyy-MM-dd, not " + b.path("policy_date"));
            }
            if (policyDate.isAfter(time.toLocalDate()) || policyDate.isBefore(time.toLocalDate().minusYears(3))) {
                throw new IllegalArgumentException("policy_date " + policyDate + " cannot be the date of a settlement "
                        + "made at " + time.format(TIME));
            }
            Money amount = money(b, "top_up_amt");
            Money direct = money(b, "direct_fund_pay");
            Money manual = money(b, "manual_fund_pay");
            if (!amount.isPositive()) {
                throw new IllegalArgumentException("top_up_amt: above 0, not " + amount);
            }
            if (direct.isNegative() || manual.compareTo(direct.plus(amount)) < 0) {
                throw new IllegalArgumentException("top_up_amt " + amount + " is more than what home would pay more ("
                        + manual + " − " + direct + ")");
            }
            return new Notice(text(b, "setl_id", 40), text(b, "psn_no", 30), text(b, "mdtrt_id", 40),
                    text(b, "fixmedins_code", 30), medType, time, amount, direct, manual, text(b, "policy_version", 40),
                    policyDate, text(b, "catalogue", 300));
        }

        private static Money money(JsonNode b, String field) {
            JsonNode v = b.get(field);
            if (v == null || !v.isNumber()) {
                throw new IllegalArgumentException(field + ": an amount in yuan");
            }
            try {
                return Money.ofYuan(v.decimalValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage());
            }
        }
    }

    private static String text(JsonNode body, String field, int max) {
        String v = body.path(field).asText("").strip();
        if (v.isEmpty() || v.length() > max) {
            throw new IllegalArgumentException(field + ": 1 to " + max + " characters");
        }
        return v;
    }

    /** Records notice {@code n} once; false if it was recorded before (a repeat changes nothing). */
    private boolean record(Connection c, Notice n, Admdvs from, String refusal, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM insured_top_up WHERE setl_id = ?")) {
            ps.setString(1, n.setlId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        // its settlement undone here before the notice arrived: nothing is owed
        String settlementState = settlementState(c, n.setlId()).orElse("");
        String why = refusal != null ? refusal
                : "UNDONE".equals(settlementState) ? "its settlement was undone before the top-up arrived" : null;
        java.sql.Savepoint before = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_top_up (setl_id, mdtrtarea_admvs, psn_no, "
                + "mdtrt_id, fixmedins_code, med_type, setl_time, setl_month, top_up_amt, direct_fund_pay, "
                + "manual_fund_pay, policy_version, policy_date, catalogue, state, received_at, cancelled_at, "
                + "cancelled_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            ps.setString(i++, n.setlId());
            ps.setString(i++, from.code());
            ps.setString(i++, n.psnNo());
            ps.setString(i++, n.mdtrtId());
            ps.setString(i++, n.fixmedinsCode());
            ps.setString(i++, n.medType().code());
            ps.setTimestamp(i++, Timestamp.valueOf(n.setlTime()));
            ps.setString(i++, YearMonth.from(n.setlTime()).toString());
            ps.setBigDecimal(i++, n.amount().toYuan());
            ps.setBigDecimal(i++, n.directFundPay().toYuan());
            ps.setBigDecimal(i++, n.manualFundPay().toYuan());
            ps.setString(i++, n.policyVersion());
            ps.setDate(i++, java.sql.Date.valueOf(n.policyDate()));
            ps.setString(i++, n.catalogue());
            ps.setString(i++, why == null ? "RECORDED" : "CANCELLED");
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setTimestamp(i++, why == null ? null : Timestamp.from(now));
            ps.setString(i++, why == null ? null : "link");
            ps.setString(i, why == null ? null : cut(why, 500));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // the same notice taken by another instance meanwhile
            c.rollback(before);
            return false;
        }
        if (why == null) {
            ledger.post(c, new Posting(POSTED, n.setlId(), List.of(new Posting.Entry("fund:topup", n.amount().fen()),
                    new Posting.Entry("topup:payable", -n.amount().fen()))));
        }
        audit.record(c, new AuditEvent(now, from.code(), AuditChannel.LINK, why == null ? "TOP_UP_RECORDED"
                : "TOP_UP_CANCELLED", n.setlId(), "person " + n.psnNo() + ", visit " + n.mdtrtId() + " at "
                + n.fixmedinsCode() + " (" + from + "): " + n.amount() + " (direct " + n.directFundPay() + ", at home "
                + n.manualFundPay() + ", policy " + n.policyVersion() + ")" + (why == null ? "" : "; not owed: " + why)));
        return true;
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static Optional<String> settlementState(Connection c, String setlId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM insured_settlement WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    // ---- a settlement undone

    /**
     * Settlement {@code setlId} undone at this insured place (a reversal, a correction), in the undo's transaction:
     * its RECORDED top-up is CANCELLED (the recording taken back), a PAID one becomes RECOVER.
     */
    static void settlementUndone(Connection c, Ledger ledger, AuditLog audit, String setlId, Instant now)
            throws SQLException {
        String state;
        BigDecimal amount;
        String psnNo;
        try (PreparedStatement ps = c.prepareStatement("SELECT state, top_up_amt, psn_no FROM insured_top_up "
                + "WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                state = rs.getString(1);
                amount = rs.getBigDecimal(2);
                psnNo = rs.getString(3);
            }
        }
        long fen = Money.ofYuan(amount).fen();
        if ("RECORDED".equals(state)) {
            move(c, setlId, "RECORDED", "CANCELLED", now, "link", "its settlement was undone (reversed or corrected)");
            ledger.post(c, new Posting(CANCELLED, setlId, List.of(new Posting.Entry("fund:topup", -fen),
                    new Posting.Entry("topup:payable", fen))));
            audit.record(c, new AuditEvent(now, "link", AuditChannel.LINK, "TOP_UP_CANCELLED", setlId,
                    "its settlement was undone: " + Money.ofFen(fen) + " to person " + psnNo + " not owed"));
        } else if ("PAID".equals(state)) {
            move(c, setlId, "PAID", "RECOVER", now, "link", "its settlement was undone after the top-up was paid");
            ledger.post(c, new Posting(RECOVERED, setlId, List.of(new Posting.Entry("topup:recover", fen),
                    new Posting.Entry("fund:topup", -fen))));
            audit.record(c, new AuditEvent(now, "link", AuditChannel.LINK, "TOP_UP_RECOVER", setlId,
                    "its settlement was undone after " + Money.ofFen(fen) + " was paid to person " + psnNo
                            + ": to be recovered"));
            LOG.warn("Settlement {} was undone after its top-up (待遇补差) {} was paid to person {}: to be recovered from "
                    + "the person (medsettle:topup-list --state RECOVER)", setlId, Money.ofFen(fen), psnNo);
        }
    }

    private static void move(Connection c, String setlId, String from, String to, Instant now, String by, String reason)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE insured_top_up SET state = ?, cancelled_at = ?, "
                + "cancelled_by = ?, reason = ? WHERE setl_id = ? AND state = ?")) {
            ps.setString(1, to);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, by);
            ps.setString(4, cut(reason, 500));
            ps.setString(5, setlId);
            ps.setString(6, from);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("top-up " + setlId + " is no longer " + from);
            }
        }
    }

    // ---- reading

    /**
     * A RECORDED top-up's settlement is cleared: its application line ({@code +}) was CLEARED, or it has no line (no
     * fund paid) and a clearing of its month closed here.
     */
    private static final String CLEARED = "(EXISTS (SELECT 1 FROM clearing_line l WHERE l.side = 'A' AND l.setl_id = "
            + "t.setl_id AND l.movement = '+' AND l.state = 'CLEARED') OR (NOT EXISTS (SELECT 1 FROM clearing_line l "
            + "WHERE l.side = 'A' AND l.setl_id = t.setl_id AND l.movement = '+') AND EXISTS (SELECT 1 FROM "
            + "clearing_report r WHERE r.month = t.setl_month AND r.closed_at IS NOT NULL)))";
    private static final String APPLIED = "EXISTS (SELECT 1 FROM insured_settlement i WHERE i.setl_id = t.setl_id AND "
            + "i.state IN ('APPLIED', 'CONFIRMED'))";
    private static final String COLUMNS = "t.setl_id, t.mdtrtarea_admvs, t.psn_no, t.mdtrt_id, t.fixmedins_code, "
            + "t.med_type, t.setl_time, t.top_up_amt, t.direct_fund_pay, t.manual_fund_pay, t.policy_version, "
            + "t.catalogue, t.state, t.reason, t.received_at, t.paid_at, t.payment_ref, "
            + "CASE WHEN t.state = 'RECORDED' AND " + APPLIED + " AND " + CLEARED + " THEN 1 ELSE 0 END, "
            + "CASE WHEN " + APPLIED + " THEN 1 ELSE 0 END";
    private static final String FROM = " FROM insured_top_up t";

    private static TopUp read(ResultSet rs) throws SQLException {
        String state = rs.getString(13);
        LocalDateTime time = rs.getTimestamp(7).toLocalDateTime();
        TopUpState s;
        String why;
        if ("RECORDED".equals(state)) {
            boolean payable = rs.getInt(18) == 1;
            s = payable ? TopUpState.PAYABLE : TopUpState.WAITING;
            why = payable ? "" : rs.getInt(19) == 1 ? "the clearing (清算) of " + YearMonth.from(time)
                    : "its settlement is not applied here yet";
        } else {
            s = TopUpState.valueOf(state);
            why = rs.getString(14) == null ? "" : rs.getString(14);
        }
        Timestamp paidAt = rs.getTimestamp(16);
        return new TopUp(rs.getString(1), Admdvs.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), time, Money.ofYuan(rs.getBigDecimal(8)),
                Money.ofYuan(rs.getBigDecimal(9)), Money.ofYuan(rs.getBigDecimal(10)), rs.getString(11),
                rs.getString(12), s, why, rs.getTimestamp(15).toInstant(),
                Optional.ofNullable(paidAt).map(Timestamp::toInstant), Optional.ofNullable(rs.getString(17)));
    }

    @Override
    public Map<TopUpState, Total> totals() {
        return db.inTransaction("sum the top-ups", c -> {
            Map<TopUpState, long[]> sums = new EnumMap<>(TopUpState.class);
            for (TopUpState s : TopUpState.values()) {
                sums.put(s, new long[2]);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT x.s, COUNT(*), SUM(x.amt) FROM (SELECT CASE WHEN "
                    + "t.state = 'RECORDED' THEN (CASE WHEN " + APPLIED + " AND " + CLEARED + " THEN 'PAYABLE' ELSE "
                    + "'WAITING' END) ELSE t.state END AS s, t.top_up_amt AS amt" + FROM + ") x GROUP BY x.s");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] v = sums.get(TopUpState.valueOf(rs.getString(1).strip()));
                    v[0] = rs.getLong(2);
                    v[1] = Money.ofYuan(rs.getBigDecimal(3)).fen();
                }
            }
            Map<TopUpState, Total> totals = new EnumMap<>(TopUpState.class);
            sums.forEach((s, v) -> totals.put(s, new Total(v[0], Money.ofFen(v[1]))));
            return totals;
        });
    }

    @Override
    public List<TopUp> list(Optional<TopUpState> state, Optional<YearMonth> month, int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        state.ifPresent(s -> where.append(switch (s) {
            case WAITING -> " AND t.state = 'RECORDED' AND NOT (" + APPLIED + " AND " + CLEARED + ")";
            case PAYABLE -> " AND t.state = 'RECORDED' AND " + APPLIED + " AND " + CLEARED;
            default -> " AND t.state = '" + s.name() + "'";
        }));
        // the month as a range of setl_time (its month, China time) too, for the index's keys
        month.ifPresent(m -> where.append(" AND t.setl_month = ? AND t.setl_time >= ? AND t.setl_time < ?"));
        // the newest first through index insured_top_up_newest (V2), read only as far as the list goes, each row's
        // state worked out for the rows shown; those not paid through insured_top_up_state (a sort of that state's
        // few). Derby's optimizer, not counting on the FETCH FIRST, would read and sort the whole table, so its
        // documented override names the index (an SQL comment to PostgreSQL)
        String index = state.filter(s -> s != TopUpState.PAID).isPresent() ? "insured_top_up_state"
                : "insured_top_up_newest";
        return db.inTransaction("list the top-ups", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " --DERBY-PROPERTIES index="
                    + index + "\n" + where + " ORDER BY t.setl_time DESC, t.setl_id FETCH FIRST " + n + " ROWS ONLY")) {
                if (month.isPresent()) {
                    ps.setString(1, month.get().toString());
                    ps.setTimestamp(2, Timestamp.valueOf(month.get().atDay(1).atStartOfDay()));
                    ps.setTimestamp(3, Timestamp.valueOf(month.get().plusMonths(1).atDay(1).atStartOfDay()));
                }
                List<TopUp> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(read(rs));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public Optional<TopUp> get(String setlId) {
        return db.inTransaction("read top-up " + setlId, c -> one(c, setlId));
    }

    private static Optional<TopUp> one(Connection c, String setlId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE t.setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    // ---- paying and cancelling

    @Override
    public Payment pay(Optional<String> setlId, String paymentRef, String by) {
        String ref = paymentRef == null ? "" : paymentRef.strip();
        if (ref.isEmpty() || ref.length() > 64) {
            throw new IllegalArgumentException("the payment's reference (the bank batch, the voucher): 1 to 64 "
                    + "characters");
        }
        Instant now = clock.instant();
        Payment payment = db.inTransaction("pay top-ups", c -> {
            List<TopUp> due = new ArrayList<>();
            if (setlId.isPresent()) {
                TopUp t = one(c, setlId.get()).orElseThrow(() -> new IllegalArgumentException("no top-up of settlement "
                        + setlId.get()));
                if (t.state() != TopUpState.PAYABLE) {
                    throw new IllegalArgumentException("the top-up of settlement " + t.setlId() + " is " + t.state()
                            + (t.why().isEmpty() ? "" : " (" + t.why() + ")") + ", not PAYABLE");
                }
                due.add(t);
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE t.state = "
                        + "'RECORDED' AND " + APPLIED + " AND " + CLEARED + " ORDER BY t.setl_time, t.setl_id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(read(rs));
                    }
                }
            }
            long fen = 0;
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE insured_top_up SET state = 'PAID', paid_at = ?, "
                    + "paid_by = ?, payment_ref = ? WHERE setl_id = ? AND state = 'RECORDED'")) {
                for (TopUp t : due) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, cut(by, 64));
                    ps.setString(3, ref);
                    ps.setString(4, t.setlId());
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("top-up " + t.setlId() + " changed meanwhile: nothing was paid");
                    }
                    ledger.post(c, new Posting(PAID, t.setlId(), List.of(new Posting.Entry("topup:payable",
                            t.amount().fen()), new Posting.Entry("bank", -t.amount().fen()))));
                    audit.record(c, new AuditEvent(now, by, AuditChannel.CONSOLE, "TOP_UP_PAID", t.setlId(),
                            t.amount() + " to person " + t.psnNo() + ", payment " + ref));
                    fen += t.amount().fen();
                    ids.add(t.setlId());
                }
            }
            return new Payment(ids.size(), Money.ofFen(fen), ids);
        });
        if (payment.paid() > 0) {
            LOG.info("{} top-ups (待遇补差) paid, {} in all, payment {} by {}", payment.paid(), payment.amount(), ref, by);
        }
        return payment;
    }

    @Override
    public TopUp cancel(String setlId, String reason, String by) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 500) {
            throw new IllegalArgumentException("the reason: 1 to 500 characters");
        }
        Instant now = clock.instant();
        TopUp after = db.inTransaction("cancel top-up " + setlId, c -> {
            TopUp t = one(c, setlId).orElseThrow(() -> new IllegalArgumentException("no top-up of settlement " + setlId));
            if (t.state() != TopUpState.WAITING && t.state() != TopUpState.PAYABLE) {
                throw new IllegalArgumentException("the top-up of settlement " + setlId + " is " + t.state()
                        + ": only a WAITING or PAYABLE one can be cancelled");
            }
            move(c, setlId, "RECORDED", "CANCELLED", now, by, why);
            ledger.post(c, new Posting(CANCELLED, setlId, List.of(new Posting.Entry("fund:topup", -t.amount().fen()),
                    new Posting.Entry("topup:payable", t.amount().fen()))));
            audit.record(c, new AuditEvent(now, by, AuditChannel.CONSOLE, "TOP_UP_CANCELLED", setlId,
                    t.amount() + " to person " + t.psnNo() + " not paid: " + why));
            return one(c, setlId).orElseThrow();
        });
        LOG.info("Top-up (待遇补差) {} of settlement {} cancelled by {}: {}", after.amount(), setlId, by, why);
        return after;
    }
}
