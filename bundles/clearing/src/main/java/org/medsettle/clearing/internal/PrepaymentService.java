package org.medsettle.clearing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.Prepayments;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkRequestHandler;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepayments at a province node (only on {@code MEDSETTLE_ROLE=node}; tables {@code prepayment},
 * {@code prepayment_alert}, which it alone writes). A prepayment recorded here is committed with its ledger posting,
 * its audit record and a {@code PREPAYMENT_RECORD} notice to the other province's node in the durable outbox; one
 * the other node or the hub ({@code CLEARING_PREPAYMENT}) records arrives here the same way and is taken once (its
 * id). Every {@code checkSeconds} the node, as the treatment province, compares each insured province's claims not
 * cleared yet with its prepayment ({@link #watch()}): crossing {@code warnPercent} or {@code emergencyPercent} (up or down) is decided
 * once, committed with its audit record and a {@code PREPAYMENT_ALERT} notice to the insured node, and logged.
 */
@Component(service = {Prepayments.class, LinkRequestHandler.class, HealthCheck.class},
        configurationPid = PrepaymentService.PID, property = {
                LinkRequestHandler.TYPES + "=" + PrepaymentService.RECORD,
                LinkRequestHandler.TYPES + "=" + PrepaymentService.ALERT,
                LinkRequestHandler.TYPES + "=" + PrepaymentService.THROUGH_HUB})
@Designate(ocd = PrepaymentService.Config.class)
public class PrepaymentService implements Prepayments, LinkRequestHandler, HealthCheck {

    static final String PID = "org.medsettle.prepayment";
    static final String RECORD = "PREPAYMENT_RECORD";
    static final String ALERT = "PREPAYMENT_ALERT";
    /** The hub's own message: record a prepayment at the insured node. */
    static final String THROUGH_HUB = "CLEARING_PREPAYMENT";
    static final String PREPAID = "PREPAID";
    /** At most 100 billion yuan. */
    static final long MAX_FEN = 10_000_000_000_000L;
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{8,40}");
    private static final Logger LOG = LoggerFactory.getLogger(PrepaymentService.class);

    @ObjectClassDefinition(name = "medsettle prepayments", description = "etc/org.medsettle.prepayment.cfg")
    public @interface Config {
        @AttributeDefinition(description = "Usage (claims not cleared / prepaid) at which the treatment node warns, in percent")
        int warnPercent() default 70;

        @AttributeDefinition(description = "Usage at which it asks the insured province for an emergency top-up (紧急调增), in percent")
        int emergencyPercent() default 90;

        @AttributeDefinition(description = "How often the usage is computed, in seconds")
        int checkSeconds() default 300;
    }

    private final Admdvs self;
    private final Transactor db;
    private final AuditLog audit;
    private final Ledger ledger;
    private final NationalLink link;
    private final Clock clock;
    private final int warnPermille;
    private final int emergencyPermille;
    private final ScheduledExecutorService checker;

    @Activate
    public PrepaymentService(@Reference(target = "(role~=node)") InstanceIdentity identity, @Reference Transactor db,
                             @Reference AuditLog audit, @Reference Ledger ledger, @Reference NationalLink link,
                             @Reference(target = "(owner=medsettle-clearing)") SchemaReady schema,
                             @Reference org.medsettle.api.store.Leases leases, Config config) {
        this(identity.admdvs(), db, audit, ledger, link, org.medsettle.api.BusinessClock.system(), config.warnPercent(),
                config.emergencyPercent());
        long seconds = Math.max(1, config.checkSeconds());
        // several instances of the province on one database: the holder of the lease checks (an alert is sent once)
        org.medsettle.support.LeaseHolder lease = new org.medsettle.support.LeaseHolder(leases, LEASE,
                java.time.Duration.ofSeconds(Math.max(60, 2 * seconds)), Clock.systemUTC(),
                "checks the prepayments' usage", LOG::info, LOG::warn);
        checker.scheduleWithFixedDelay(() -> {
            if (lease.holds()) {
                checkQuietly();
            }
        }, 5, seconds, TimeUnit.SECONDS);
        LOG.info("Prepayments of {}: usage checked every {} s, warning at {} %, emergency top-up at {} %", self, seconds,
                warnPermille / 10, emergencyPermille / 10);
    }

    static final String LEASE = "prepayment-check";

    /** For tests: no background check ({@link #watch()} runs it). */
    public PrepaymentService(Admdvs self, Transactor db, AuditLog audit, Ledger ledger, NationalLink link, Clock clock,
                             int warnPercent, int emergencyPercent) {
        if (warnPercent < 1 || emergencyPercent <= warnPercent || emergencyPercent > 1000) {
            throw new IllegalArgumentException("thresholds: 0 < warnPercent (" + warnPercent + ") < emergencyPercent ("
                    + emergencyPercent + ") <= 1000");
        }
        this.self = self;
        this.db = db;
        this.audit = audit;
        this.ledger = ledger;
        this.link = link;
        this.clock = clock;
        this.warnPermille = warnPercent * 10;
        this.emergencyPermille = emergencyPercent * 10;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-prepayment");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        checker.shutdownNow();
    }

    private int thisYear() {
        return LocalDateTime.now(clock.withZone(NodeLines.CHINA)).getYear();
    }

    // ---- recording

    @Override
    public Prepayment record(Admdvs insured, Admdvs treatment, long fen, int year, String reason, Actor actor) {
        return record(UUID.randomUUID().toString().replace("-", ""), insured, treatment, fen, year, reason, actor);
    }

    private Prepayment record(String key, Admdvs insured, Admdvs treatment, long fen, int year, String reason,
                              Actor actor) {
        ClearingMessages.province(insured.code());
        ClearingMessages.province(treatment.code());
        if (insured.equals(treatment)) {
            throw new IllegalArgumentException("a prepayment is between two provinces, not " + insured + " and itself");
        }
        if (!insured.equals(self) && !treatment.equals(self)) {
            throw new IllegalArgumentException("this node is " + self + "'s: it records prepayments to or from "
                    + self + " only");
        }
        if (fen <= 0 || fen > MAX_FEN) {
            throw new IllegalArgumentException("a prepayment is more than 0 and at most 100,000,000,000.00 yuan, not "
                    + Money.ofFen(fen).toYuan().toPlainString());
        }
        int now = thisYear();
        if (year != now && year != now + 1) {
            throw new IllegalArgumentException("a prepayment is for this year (" + now + ") or the next, not " + year);
        }
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new IllegalArgumentException("a prepayment needs its reason (the payment's reference), at most 500 "
                    + "characters");
        }
        org.medsettle.api.PlainText.refusal("the reason", reason).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        Prepayment p = new Prepayment(self.code() + "-" + key.substring(0, Math.min(32, key.length())), insured,
                treatment, year, fen, clock.instant(), actor.name(), actor.channel().name(), reason.strip());
        Admdvs counterpart = insured.equals(self) ? treatment : insured;
        db.inTransaction("record prepayment " + p.id(), c -> {
            if (find(c, p.id()).isPresent()) {
                return null;
            }
            store(c, p, actor);
            link.enqueue(c, new HubMessage(p.id(), RECORD, self, counterpart, ClearingMessages.write(RecordMessage.of(p))));
            return null;
        });
        LOG.info("Prepayment {} recorded by {}: {} pays {} {} yuan for {}; {} is told through the hub", p.id(),
                actor.name(), insured, treatment, Money.ofFen(fen).toYuan().toPlainString(), year, counterpart);
        return find(p.id()).orElseThrow();
    }

    /** The row, its ledger posting and its audit record, in the caller's transaction. */
    private void store(Connection c, Prepayment p, Actor actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prepayment (prepayment_id, insured, treatment, "
                + "pay_year, amount_fen, recorded_at, recorded_by, channel, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.insured().code());
            ps.setString(3, p.treatment().code());
            ps.setInt(4, p.year());
            ps.setLong(5, p.fen());
            ps.setTimestamp(6, Timestamp.from(p.recordedAt()));
            ps.setString(7, truncate(p.recordedBy(), 64));
            ps.setString(8, truncate(p.channel(), 16));
            ps.setString(9, p.reason());
            ps.executeUpdate();
        }
        boolean paying = p.insured().equals(self);
        Admdvs counterpart = paying ? p.treatment() : p.insured();
        ledger.post(c, new Posting(PREPAID, p.id(), List.of(
                new Posting.Entry("prepaid:" + counterpart.code(), paying ? p.fen() : -p.fen()),
                new Posting.Entry("bank", paying ? -p.fen() : p.fen()))));
        audit.record(c, new AuditEvent(clock.instant(), actor.name(), actor.channel(), "PREPAYMENT_RECORDED", p.id(),
                p.insured() + " pays " + p.treatment() + " " + Money.ofFen(p.fen()).toYuan().toPlainString()
                        + " yuan for " + p.year() + ": " + p.reason()));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    // ---- messages

    @Override
    public String answer(HubMessage message) {
        switch (message.type()) {
            case RECORD -> {
                RecordMessage r = ClearingMessages.read(message.body(), RecordMessage.class);
                Prepayment p = r.prepayment();
                if (!ID.matcher(p.id()).matches()) {
                    throw new IllegalArgumentException("not a prepayment id: " + p.id());
                }
                Admdvs from = message.from().province();
                boolean ours = p.insured().equals(self) && p.treatment().equals(from)
                        || p.treatment().equals(self) && p.insured().equals(from);
                if (!ours || p.fen() <= 0 || p.fen() > MAX_FEN) {
                    throw new IllegalArgumentException("prepayment " + p.id() + " is not one between " + from + " and "
                            + self);
                }
                boolean fresh = db.inTransaction("take prepayment " + p.id(), c -> {
                    if (find(c, p.id()).isPresent()) {
                        return false;
                    }
                    store(c, p, new Actor(truncate("link:" + from.code() + ":" + p.recordedBy(), 64), AuditChannel.LINK));
                    return true;
                });
                if (fresh) {
                    LOG.info("Prepayment {} recorded at {} by {}: {} pays {} {} yuan for {}", p.id(), from,
                            p.recordedBy(), p.insured(), p.treatment(), Money.ofFen(p.fen()).toYuan().toPlainString(),
                            p.year());
                }
                return "{}";
            }
            case ALERT -> {
                AlertMessage a = ClearingMessages.read(message.body(), AlertMessage.class);
                Admdvs from = message.from().province();
                if (!a.insured().equals(self.code()) || !a.treatment().equals(from.code())) {
                    throw new IllegalArgumentException("an alert about " + a.insured() + "'s prepayment to "
                            + a.treatment() + " does not come from " + from + " to " + self);
                }
                Level level = Level.valueOf(a.level());
                db.inTransaction("take a prepayment alert from " + from, c -> {
                    upsertAlert(c, self, from, level, a.permille(), a.outstanding(), a.prepaid(), a.topUp(),
                            Instant.parse(a.since()));
                    audit.record(c, new AuditEvent(clock.instant(), "link:" + from.code(), AuditChannel.LINK,
                            "PREPAYMENT_" + level, from.code(), describe(self, from, level, a.permille(), a.topUp())));
                    return null;
                });
                if (level == Level.NONE) {
                    LOG.info("Prepayment: {} says the usage of {}'s prepayment is back below {} % ({} ‰)", from, self,
                            warnPermille / 10, a.permille());
                } else {
                    LOG.warn("Prepayment: {}", describe(self, from, level, a.permille(), a.topUp()));
                }
                return "{}";
            }
            case THROUGH_HUB -> {
                ThroughHubMessage h = ClearingMessages.read(message.body(), ThroughHubMessage.class);
                if (h.key() == null || !ID.matcher(h.key()).matches()) {
                    throw new IllegalArgumentException("a prepayment through the hub needs its key");
                }
                Prepayment p = record(h.key(), ClearingMessages.province(h.insured()),
                        ClearingMessages.province(h.treatment()), h.fen(), h.year(), h.reason(),
                        new Actor(truncate("hub:" + (h.actor() == null ? "" : h.actor()), 64), AuditChannel.LINK));
                return ClearingMessages.write(RecordMessage.of(p));
            }
            default -> throw new IllegalArgumentException("not a prepayment message: " + message.type());
        }
    }

    static String describe(Admdvs insured, Admdvs treatment, Level level, int permille, long topUp) {
        String usage = String.format("%d.%d %%", permille / 10, permille % 10);
        return switch (level) {
            case NONE -> treatment + ": the claims on " + insured + " are " + usage + " of its prepayment";
            case WARNING -> "WARNING: the claims of " + treatment + " on " + insured + " are " + usage
                    + " of its prepayment";
            case EMERGENCY -> "EMERGENCY TOP-UP (紧急调增): the claims of " + treatment + " on " + insured + " are " + usage
                    + " of its prepayment; " + treatment + " asks " + insured + " for "
                    + Money.ofFen(topUp).toYuan().toPlainString() + " yuan";
        };
    }

    /** {@code PREPAYMENT_RECORD}'s body. */
    record RecordMessage(@JsonProperty("prepayment_id") String id, @JsonProperty("insured") String insured,
                         @JsonProperty("treatment") String treatment, @JsonProperty("year") int year,
                         @JsonProperty("amount_fen") long fen, @JsonProperty("recorded_at") String recordedAt,
                         @JsonProperty("recorded_by") String recordedBy, @JsonProperty("channel") String channel,
                         @JsonProperty("reason") String reason) {

        static RecordMessage of(Prepayment p) {
            return new RecordMessage(p.id(), p.insured().code(), p.treatment().code(), p.year(), p.fen(),
                    p.recordedAt().toString(), p.recordedBy(), p.channel(), p.reason());
        }

        Prepayment prepayment() {
            if (id == null || recordedAt == null || recordedBy == null || channel == null || reason == null) {
                throw new IllegalArgumentException("a prepayment record needs every field");
            }
            return new Prepayment(id, ClearingMessages.province(insured), ClearingMessages.province(treatment), year,
                    fen, Instant.parse(recordedAt), recordedBy, channel, reason);
        }
    }

    /** {@code PREPAYMENT_ALERT}'s body. */
    record AlertMessage(@JsonProperty("insured") String insured, @JsonProperty("treatment") String treatment,
                        @JsonProperty("level") String level, @JsonProperty("usage_permille") int permille,
                        @JsonProperty("outstanding_fen") long outstanding, @JsonProperty("prepaid_fen") long prepaid,
                        @JsonProperty("top_up_fen") long topUp, @JsonProperty("since") String since) {
    }

    /** {@code CLEARING_PREPAYMENT}'s body: a prepayment recorded at the hub, for the insured node. */
    record ThroughHubMessage(@JsonProperty("key") String key, @JsonProperty("insured") String insured,
                             @JsonProperty("treatment") String treatment, @JsonProperty("year") int year,
                             @JsonProperty("amount_fen") long fen, @JsonProperty("reason") String reason,
                             @JsonProperty("actor") String actor) {
    }

    // ---- watching the usage

    private void checkQuietly() {
        try {
            watch();
        } catch (RuntimeException e) {
            LOG.error("The prepayment check failed; it runs again at its next turn", e);
        }
    }

    /**
     * As the treatment province: every insured province's usage now; a level crossed is committed with its audit
     * record and a notice to the insured node, once. Answers the standings it computed.
     */
    public List<Standing> watch() {
        int year = thisYear();
        Map<String, long[]> prepaid = db.inTransaction("read the prepayments", c -> prepaidTo(c, self, year));
        List<Standing> result = new ArrayList<>();
        for (Map.Entry<String, long[]> e : prepaid.entrySet()) {
            Admdvs insured = Admdvs.of(e.getKey());
            long paid = e.getValue()[0];
            long outstanding = ledger.balances("claim:" + insured.code() + ":").stream()
                    .mapToLong(Ledger.Balance::fen).sum();
            int permille = permille(outstanding, paid);
            Level level = permille >= emergencyPermille ? Level.EMERGENCY : permille >= warnPermille ? Level.WARNING
                    : Level.NONE;
            long topUp = level == Level.EMERGENCY ? topUp(outstanding, paid) : 0;
            Instant now = clock.instant();
            Standing s = db.inTransaction("decide the usage of " + insured, c -> {
                Optional<Standing> before = alert(c, insured, self, year, paid);
                Level was = before.map(Standing::level).orElse(Level.NONE);
                if (was == level) {
                    if (before.isPresent() && (before.get().permille() != permille
                            || before.get().outstanding() != outstanding)) {
                        upsertAlert(c, insured, self, level, permille, outstanding, paid, topUp, before.get().since());
                    }
                    return new Standing(insured, self, year, paid, outstanding, permille, level,
                            before.map(Standing::since).orElse(null), topUp);
                }
                upsertAlert(c, insured, self, level, permille, outstanding, paid, topUp, now);
                audit.record(c, new AuditEvent(now, "system", AuditChannel.SYSTEM, "PREPAYMENT_" + level,
                        insured.code(), describe(insured, self, level, permille, topUp)));
                link.enqueue(c, new HubMessage(self.code() + "-A" + UUID.randomUUID().toString().replace("-", "")
                        .substring(0, 24), ALERT, self, insured, ClearingMessages.write(new AlertMessage(insured.code(),
                        self.code(), level.name(), permille, outstanding, paid, topUp, now.toString()))));
                if (level.compareTo(was) > 0) {
                    LOG.warn("Prepayment: {}; {} is told through the hub", describe(insured, self, level, permille,
                            topUp), insured);
                } else {
                    LOG.info("Prepayment: the claims of {} on {} are back to {} of its prepayment ({} ‰, was {})", self,
                            insured, level, permille, was);
                }
                return new Standing(insured, self, year, paid, outstanding, permille, level, now, topUp);
            });
            result.add(s);
        }
        return result;
    }

    static int permille(long outstanding, long prepaid) {
        if (prepaid <= 0) {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.floorDiv(Math.multiplyExact(outstanding, 1000L), prepaid)));
    }

    /** What brings the usage back to half: twice the outstanding minus the prepaid, up to whole yuan. */
    static long topUp(long outstanding, long prepaid) {
        long fen = Math.max(0, Math.subtractExact(Math.multiplyExact(2L, outstanding), prepaid));
        return Math.floorDiv(fen + 99, 100) * 100;
    }

    /** This year's prepayments to {@code treatment}, by insured province (fen in [0]). */
    private static Map<String, long[]> prepaidTo(Connection c, Admdvs treatment, int year) throws SQLException {
        Map<String, long[]> map = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT insured, SUM(amount_fen) FROM prepayment WHERE "
                + "treatment = ? AND pay_year = ? GROUP BY insured")) {
            ps.setString(1, treatment.code());
            ps.setInt(2, year);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    map.put(rs.getString(1), new long[] {rs.getLong(2)});
                }
            }
        }
        return map;
    }

    private static Optional<Standing> alert(Connection c, Admdvs insured, Admdvs treatment, int year, long paid)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_level, usage_permille, outstanding_fen, "
                + "prepaid_fen, top_up_fen, since FROM prepayment_alert WHERE insured = ? AND treatment = ?")) {
            ps.setString(1, insured.code());
            ps.setString(2, treatment.code());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Standing(insured, treatment, year, paid < 0 ? rs.getLong(4) : paid,
                        rs.getLong(3), rs.getInt(2), Level.valueOf(rs.getString(1)), rs.getTimestamp(6).toInstant(),
                        rs.getLong(5)));
            }
        }
    }

    private static void upsertAlert(Connection c, Admdvs insured, Admdvs treatment, Level level, int permille,
                                    long outstanding, long prepaid, long topUp, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE prepayment_alert SET alert_level = ?, usage_permille = ?, "
                + "outstanding_fen = ?, prepaid_fen = ?, top_up_fen = ?, since = ? WHERE insured = ? AND treatment = ?")) {
            ps.setString(1, level.name());
            ps.setInt(2, permille);
            ps.setLong(3, outstanding);
            ps.setLong(4, prepaid);
            ps.setLong(5, topUp);
            ps.setTimestamp(6, Timestamp.from(since));
            ps.setString(7, insured.code());
            ps.setString(8, treatment.code());
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prepayment_alert (alert_level, usage_permille, "
                + "outstanding_fen, prepaid_fen, top_up_fen, since, insured, treatment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, level.name());
            ps.setInt(2, permille);
            ps.setLong(3, outstanding);
            ps.setLong(4, prepaid);
            ps.setLong(5, topUp);
            ps.setTimestamp(6, Timestamp.from(since));
            ps.setString(7, insured.code());
            ps.setString(8, treatment.code());
            ps.executeUpdate();
        }
    }

    // ---- reading

    @Override
    public List<Standing> standings() {
        int year = thisYear();
        // as the treatment province: the usage now, beside the level the last check decided (reading changes nothing)
        List<Standing> all = new ArrayList<>();
        Map<String, long[]> prepaid = db.inTransaction("read the prepayments", c -> prepaidTo(c, self, year));
        for (Map.Entry<String, long[]> e : prepaid.entrySet()) {
            Admdvs insured = Admdvs.of(e.getKey());
            long paid = e.getValue()[0];
            long outstanding = ledger.balances("claim:" + insured.code() + ":").stream()
                    .mapToLong(Ledger.Balance::fen).sum();
            Optional<Standing> decided = db.inTransaction("read an alert", c -> alert(c, insured, self, year, paid));
            all.add(new Standing(insured, self, year, paid, outstanding, permille(outstanding, paid),
                    decided.map(Standing::level).orElse(Level.NONE), decided.map(Standing::since).orElse(null),
                    decided.map(Standing::topUpFen).orElse(0L)));
        }
        // as the insured province: what it prepaid, and what the treatment nodes last said
        all.addAll(db.inTransaction("read the prepayments made", c -> {
            List<Standing> list = new ArrayList<>();
            Map<String, Long> paid = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT treatment, SUM(amount_fen) FROM prepayment WHERE "
                    + "insured = ? AND pay_year = ? GROUP BY treatment")) {
                ps.setString(1, self.code());
                ps.setInt(2, year);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        paid.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT treatment FROM prepayment_alert WHERE insured = ?")) {
                ps.setString(1, self.code());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        paid.putIfAbsent(rs.getString(1), 0L);
                    }
                }
            }
            for (Map.Entry<String, Long> e : paid.entrySet()) {
                Admdvs treatment = Admdvs.of(e.getKey());
                Optional<Standing> told = alert(c, self, treatment, year, e.getValue());
                list.add(told.map(t -> new Standing(self, treatment, year, e.getValue(), t.outstanding(),
                        permille(t.outstanding(), e.getValue()), t.level(), t.since(), t.topUpFen()))
                        .orElse(new Standing(self, treatment, year, e.getValue(), 0, permille(0, e.getValue()),
                                Level.NONE, null, 0)));
            }
            return list;
        }));
        return all;
    }

    @Override
    public List<Prepayment> history() {
        return db.inTransaction("read the prepayments", c -> {
            List<Prepayment> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT prepayment_id, insured, treatment, pay_year, "
                    + "amount_fen, recorded_at, recorded_by, channel, reason FROM prepayment ORDER BY recorded_at DESC, prepayment_id DESC");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(row(rs));
                }
            }
            return list;
        });
    }

    private Optional<Prepayment> find(String id) {
        return db.inTransaction("read prepayment " + id, c -> find(c, id));
    }

    private static Optional<Prepayment> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT prepayment_id, insured, treatment, pay_year, amount_fen, "
                + "recorded_at, recorded_by, channel, reason FROM prepayment WHERE prepayment_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Prepayment row(ResultSet rs) throws SQLException {
        return new Prepayment(rs.getString(1), Admdvs.of(rs.getString(2)), Admdvs.of(rs.getString(3)), rs.getInt(4),
                rs.getLong(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    @Override
    public List<Sizing> size(Admdvs counterpart, int year, int months) {
        ClearingMessages.province(counterpart.code());
        if (counterpart.equals(self)) {
            throw new IllegalArgumentException("a prepayment is between two provinces: name the other one");
        }
        if (months < 1 || months > 12) {
            throw new IllegalArgumentException("the prepayment covers 1 to 12 months of flows, not " + months);
        }
        int now = thisYear();
        if (year < 2000 || year > now + 1) {
            throw new IllegalArgumentException("no prepayment for " + year + " (2000 to " + (now + 1) + ")");
        }
        int basis = year - 1;
        Timestamp from = Timestamp.valueOf(Year.of(basis).atDay(1).atStartOfDay());
        Timestamp to = Timestamp.valueOf(Year.of(year).atDay(1).atStartOfDay());
        String prefix = counterpart.code().substring(0, 2) + "%";
        return db.inTransaction("size a prepayment", c -> {
            List<Sizing> list = new ArrayList<>();
            // its people treated here: the settlements committed here, net of reversals (a reversal's row is negative)
            long claims = sum(c, "SELECT SUM(fund_pay_sumamt + acct_pay) FROM settlement WHERE insuplc_admdvs LIKE ? "
                    + "AND state IN ('SETTLED', 'REVERSED') AND setl_time >= ? AND setl_time < ?", prefix, from, to);
            if (claims != 0) {
                list.add(new Sizing(counterpart, self, basis, claims, months, suggest(claims, months)));
            }
            // this province's people treated there: what the insured place applied and did not undo
            long applied = sum(c, "SELECT SUM(fund_pay_sumamt + acct_pay) FROM insured_settlement WHERE "
                    + "mdtrtarea_admvs LIKE ? AND state IN ('APPLIED', 'CONFIRMED') AND setl_time >= ? AND setl_time < ?",
                    prefix, from, to);
            if (applied != 0) {
                list.add(new Sizing(self, counterpart, basis, applied, months, suggest(applied, months)));
            }
            return list;
        });
    }

    private static long sum(Connection c, String sql, String prefix, Timestamp from, Timestamp to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, prefix);
            ps.setTimestamp(2, from);
            ps.setTimestamp(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                java.math.BigDecimal yuan = rs.getBigDecimal(1);
                return yuan == null ? 0 : yuan.movePointRight(2).longValueExact();
            }
        }
    }

    /** {@code months} twelfths of a year's flow, up to whole yuan. */
    static long suggest(long yearFen, int months) {
        long fen = Math.floorDiv(Math.multiplyExact(Math.max(0, yearFen), (long) months) + 11, 12);
        return Math.floorDiv(fen + 99, 100) * 100;
    }

    // ---- health

    @Override
    public String name() {
        return "prepayment";
    }

    @Override
    public HealthResult check() {
        // the last decisions, not a new computation (a probe must stay cheap)
        List<String> alerts = db.inTransaction("read the prepayment alerts", c -> {
            List<String> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT insured, treatment, alert_level, usage_permille, "
                    + "top_up_fen FROM prepayment_alert WHERE alert_level <> 'NONE' ORDER BY insured, treatment");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(describe(Admdvs.of(rs.getString(1)), Admdvs.of(rs.getString(2)),
                            Level.valueOf(rs.getString(3)), rs.getInt(4), rs.getLong(5)));
                }
            }
            return list;
        });
        // a low prepayment is the agencies' matter, never a reason to take the node out of service
        return HealthResult.ok(alerts.isEmpty() ? "every prepayment below " + warnPermille / 10 + " % used"
                : String.join("; ", alerts));
    }
}
