package org.medsettle.clearing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingBook.Side;
import org.medsettle.api.clearing.ClearingCase;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;
import org.medsettle.api.clearing.Prepayments;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.StoreException;
import org.medsettle.api.store.Transactor;
import org.medsettle.clearing.internal.Matcher.HubLine;
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
 * The monthly clearing at the national hub (only on {@code MEDSETTLE_ROLE=hub}; tables {@code hub_clearing_*}, which
 * it alone writes). A run goes through its states by itself, on one background thread, every step committed before
 * the next: COLLECTING (each node's report, page by page, the page and the cursor in one transaction), matching
 * ({@link Matcher}; positions and cases in one transaction, then DELIVERING), delivering (each node its cases, then
 * its statement), CLEARED. After a restart — a kill -9 included — it resumes from the last committed step; every
 * message it sends a node is answered the same when repeated, so it comes to the same result. A node that cannot
 * be reached is tried again every {@code retrySeconds}; one that has not reported {@code collectMinutes} after the
 * start is left out (its lines, and the others' lines with its province, are carried forward).
 */
@Component(service = {ClearingHub.class, HealthCheck.class}, configurationPid = ClearingHubComponent.PID)
@Designate(ocd = ClearingHubComponent.Config.class)
public class ClearingHubComponent implements ClearingHub, HealthCheck {

    static final String PID = "org.medsettle.clearing";
    /** A month may be cleared this long after it ended (China time): settlements pending at midnight are finished. */
    static final Duration GRACE = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClearingHubComponent.class);

    @ObjectClassDefinition(name = "medsettle clearing (hub)", description = "etc/org.medsettle.clearing.cfg")
    public @interface Config {
        @AttributeDefinition(description = "How often the hub tries a node again that it could not reach during a clearing run, in seconds")
        int retrySeconds() default 15;

        @AttributeDefinition(description = "How long after the start of a run the hub waits for a node's report, in minutes; then the run goes on without it (its lines are carried forward)")
        int collectMinutes() default 60;

        @AttributeDefinition(description = "Lines per page of a node's report (at most 5000)")
        int pageLines() default 5000;
    }

    private final Transactor db;
    private final AuditLog audit;
    private final HubDirectory hub;
    private final Clock clock;
    private final Duration collect;
    private final int pageLines;
    private final ScheduledExecutorService worker;
    /** Whether runs advance by themselves (false in tests, which call {@link #work()}). */
    private volatile boolean background;

    @Activate
    public ClearingHubComponent(@Reference(target = "(role~=hub)") InstanceIdentity identity, @Reference Transactor db,
                                @Reference AuditLog audit, @Reference HubDirectory hub,
                                @Reference(target = "(owner=medsettle-clearing)") SchemaReady schema,
                                @Reference org.medsettle.api.store.Leases leases, Config config) {
        this(db, audit, hub, org.medsettle.api.BusinessClock.system(), Duration.ofMinutes(Math.max(1, config.collectMinutes())),
                config.pageLines());
        background = true;
        long retry = Math.max(1, config.retrySeconds());
        // several hub instances on one database: the one holding the lease advances the runs, for twice its turn
        org.medsettle.support.LeaseHolder lease = new org.medsettle.support.LeaseHolder(leases, LEASE,
                Duration.ofSeconds(Math.max(30, 2 * retry)), Clock.systemUTC(), "advances the clearing runs", LOG::info,
                LOG::warn);
        worker.scheduleWithFixedDelay(() -> {
            if (lease.holds()) {
                work();
            }
        }, 1, retry, TimeUnit.SECONDS);
        LOG.info("Clearing at the hub (schema version {}): runs go on in the background, nodes not reached tried again "
                + "every {} s, reports awaited {} min", schema.version(), retry, collect.toMinutes());
    }

    /**
     * For tests and benchmarks: runs advance only when {@link #work()} is called. A factory, not a public constructor
     * (docs/stack.md, trap 55).
     */
    public static ClearingHubComponent forTests(Transactor db, AuditLog audit, HubDirectory hub, Clock clock,
                                                Duration collect, int pageLines) {
        return new ClearingHubComponent(db, audit, hub, clock, collect, pageLines);
    }

    static final String LEASE = "clearing-hub";
    private ClearingHubComponent(Transactor db, AuditLog audit, HubDirectory hub, Clock clock, Duration collect,
                                 int pageLines) {
        this.db = db;
        this.audit = audit;
        this.hub = hub;
        this.clock = clock;
        this.collect = collect;
        this.pageLines = Math.max(1, Math.min(ClearingNode.MAX_PAGE, pageLines));
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-clearing");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The clearing worker did not stop within 30 s; its run resumes at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- starting

    @Override
    public Run start(YearMonth month, Actor actor) {
        if (month.isBefore(YearMonth.of(2000, 1))) {
            throw new IllegalArgumentException("no clearing before 2000-01: " + month);
        }
        Instant opens = month.plusMonths(1).atDay(1).atStartOfDay(NodeLines.CHINA).toInstant().plus(GRACE);
        Instant now = clock.instant();
        if (now.isBefore(opens)) {
            throw new IllegalArgumentException(month + " can be cleared from " + LocalDateTime.ofInstant(opens,
                    NodeLines.CHINA) + " China time (one hour after it ends, when settlements pending at midnight are "
                    + "finished)");
        }
        List<HubDirectory.Node> nodes = hub.nodes();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("the hub's directory has no nodes: nothing to clear");
        }
        String id = ClearingHub.idOf(month);
        try {
            db.inTransaction("start clearing " + id, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT clearing_id, month, state FROM hub_clearing_run "
                        + "ORDER BY month DESC"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        YearMonth m = YearMonth.parse(rs.getString(2));
                        if (m.equals(month)) {
                            throw new IllegalStateException(month + " is " + ("CLEARED".equals(rs.getString(3))
                                    ? "cleared already" : "being cleared (" + rs.getString(3) + ")") + ": clearing "
                                    + id + "; a month is cleared once");
                        }
                        if (m.isAfter(month)) {
                            throw new IllegalArgumentException(month + " is before " + m + ", which was cleared "
                                    + "already: months are cleared in order (its lines went into " + rs.getString(1) + ")");
                        }
                        if (!"CLEARED".equals(rs.getString(3))) {
                            throw new IllegalStateException("the clearing of " + m + " (" + rs.getString(1) + ") is still "
                                    + rs.getString(3) + ": medsettle:clearing-show " + m + " says which node it waits for");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_clearing_run (clearing_id, month, state, "
                        + "started_at, started_by, updated_at, claim_lines, application_lines, cleared_lines, cases, "
                        + "net_sum) VALUES (?, ?, 'COLLECTING', ?, ?, ?, 0, 0, 0, 0, 0)")) {
                    ps.setString(1, id);
                    ps.setString(2, month.toString());
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setString(4, actor.name());
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_clearing_source (clearing_id, admdvs, "
                        + "report, cursor_seq, claim_lines, application_lines, cases_sent, last_error) VALUES "
                        + "(?, ?, 'WAITING', 0, 0, 0, 0, '')")) {
                    for (HubDirectory.Node n : nodes) {
                        ps.setString(1, id);
                        ps.setString(2, n.admdvs().code());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "CLEARING_STARTED", id, "clearing of "
                        + month + " with " + nodes.size() + " node(s): " + String.join(", ",
                        nodes.stream().map(n -> n.admdvs().code()).toList())));
                return null;
            });
        } catch (StoreException e) {
            if (run(month).isPresent()) {
                throw new IllegalStateException(month + " is being cleared already (clearing " + id + ")");
            }
            throw e;
        }
        LOG.info("Clearing {} of {} started by {} with {} node(s)", id, month, actor.name(), nodes.size());
        if (background) {
            worker.execute(this::work);
        }
        return run(month).orElseThrow();
    }

    @Override
    public Prepayments.Prepayment recordPrepayment(Admdvs insured, Admdvs treatment, long fen, int year, String reason,
                                                   Actor actor) {
        ClearingMessages.province(insured.code());
        ClearingMessages.province(treatment.code());
        if (hub.nodes().stream().noneMatch(n -> n.admdvs().equals(insured))) {
            throw new IllegalArgumentException("the hub has no node for " + insured + ": it cannot record its prepayment");
        }
        String key = java.util.UUID.randomUUID().toString().replace("-", "");
        String answer = hub.ask(insured, PrepaymentService.THROUGH_HUB, ClearingMessages.write(
                new PrepaymentService.ThroughHubMessage(key, insured.code(), treatment.code(), year, fen, reason,
                        actor.name())));
        Prepayments.Prepayment p = ClearingMessages.read(answer, PrepaymentService.RecordMessage.class).prepayment();
        db.inTransaction("audit a prepayment through the hub", c -> {
            audit.record(c, new AuditEvent(clock.instant(), actor.name(), actor.channel(), "PREPAYMENT_RECORDED",
                    p.id(), "through the hub at " + insured + ": " + insured + " pays " + treatment + " "
                    + org.medsettle.api.Money.ofFen(fen).toYuan().toPlainString() + " yuan for " + year + ": " + reason));
            return null;
        });
        LOG.info("Prepayment {} recorded through the hub by {} at {}: {} pays {} {} fen for {}", p.id(), actor.name(),
                insured, insured, treatment, fen, year);
        return p;
    }

    // ---- the background work

    /** Advances every unfinished run as far as it goes now. */
    public void work() {
        try {
            for (String id : unfinished()) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                advance(id);
            }
        } catch (RuntimeException e) {
            LOG.error("The clearing worker failed; it tries again at its next turn", e);
        }
    }

    private List<String> unfinished() {
        return db.inTransaction("find unfinished clearings", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT clearing_id FROM hub_clearing_run WHERE state <> 'CLEARED' ORDER BY month");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    private void advance(String id) {
        Run run = runById(id).orElseThrow();
        if (run.state() == State.COLLECTING) {
            for (Source s : run.sources()) {
                if ("WAITING".equals(s.report())) {
                    collect(run, s.node());
                }
            }
            run = runById(id).orElseThrow();
            boolean waiting = run.sources().stream().anyMatch(s -> "WAITING".equals(s.report()));
            if (waiting && clock.instant().isAfter(run.startedAt().plus(collect))) {
                giveUp(run);
                waiting = false;
            }
            if (!waiting) {
                match(run);
                run = runById(id).orElseThrow();
            }
        }
        if (run.state() == State.DELIVERING) {
            for (Source s : run.sources()) {
                if (s.delivered() == null) {
                    deliver(run, s);
                }
            }
            finish(id);
        }
    }

    // ---- collecting

    private void collect(Run run, Admdvs node) {
        long started = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            long cursor = cursor(run.clearingId(), node);
            ClearingMessages.ReportPage page;
            List<HubLine> lines = new ArrayList<>();
            List<Side> sides = new ArrayList<>();
            try {
                page = ClearingMessages.read(hub.ask(node, ClearingMessages.REPORT, ClearingMessages.write(
                        new ClearingMessages.ReportRequest(run.clearingId(), run.month().toString(), cursor, pageLines))),
                        ClearingMessages.ReportPage.class);
                if (!run.clearingId().equals(page.clearingId()) || page.lines() == null) {
                    throw new IllegalArgumentException("the answer is not a page of clearing " + run.clearingId());
                }
                for (String text : page.lines()) {
                    ClearingMessages.Line l = ClearingMessages.Line.parse(text);
                    if (l.counterpart().equals(node) || l.month().isAfter(run.month())) {
                        throw new IllegalArgumentException("line " + text + " is not one of " + node + "'s for "
                                + run.month());
                    }
                    boolean claim = l.side() == Side.CLAIMS;
                    lines.add(new HubLine(claim ? node : l.counterpart(), l.setlId(), l.movement(),
                            claim ? l.counterpart() : node, l.month(), l.amounts()));
                    sides.add(l.side());
                }
                if (page.last() < cursor || (!page.lines().isEmpty() && page.last() == cursor)) {
                    throw new IllegalArgumentException("the page does not go past line " + cursor);
                }
            } catch (LinkUnavailableException | IllegalStateException | IllegalArgumentException e) {
                failed(run.clearingId(), node, "report: " + e.getMessage());
                return;
            }
            db.inTransaction("store a page of " + node + "'s report for " + run.clearingId(), c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_clearing_line (clearing_id, side, "
                        + "treatment, setl_id, movement, insured, month, hifp, cvlserv, hifes, hifmi, hifob, maf, oth, "
                        + "acct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < lines.size(); i++) {
                        HubLine l = lines.get(i);
                        ps.setString(1, run.clearingId());
                        ps.setString(2, sides.get(i) == Side.CLAIMS ? "C" : "A");
                        ps.setString(3, l.treatment().code());
                        ps.setString(4, l.setlId());
                        ps.setString(5, l.movement().sign());
                        ps.setString(6, l.insured().code());
                        ps.setString(7, l.month().toString());
                        long[] fen = l.amounts().values();
                        for (int f = 0; f < 8; f++) {
                            ps.setLong(8 + f, fen[f]);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                long claims = sides.stream().filter(s -> s == Side.CLAIMS).count();
                try (PreparedStatement ps = c.prepareStatement("UPDATE hub_clearing_source SET cursor_seq = ?, "
                        + "claim_lines = claim_lines + ?, application_lines = application_lines + ?, report = ?, "
                        + "last_error = '' WHERE clearing_id = ? AND admdvs = ? AND cursor_seq = ? AND report = 'WAITING'")) {
                    ps.setLong(1, page.last());
                    ps.setLong(2, claims);
                    ps.setLong(3, lines.size() - claims);
                    ps.setString(4, page.done() ? "REPORTED" : "WAITING");
                    ps.setString(5, run.clearingId());
                    ps.setString(6, node.code());
                    ps.setLong(7, cursor);
                    if (ps.executeUpdate() != 1) {
                        // the cursor moved meanwhile (there is one worker: not expected): the page is not stored twice
                        throw new IllegalStateException("the cursor of " + node + " in " + run.clearingId()
                                + " moved meanwhile; the page was not stored");
                    }
                }
                touch(c, run.clearingId());
                return null;
            });
            if (page.done()) {
                LOG.info("Clearing {}: {}'s report collected ({} lines in it; this time {} ms)", run.clearingId(), node,
                        page.total(), (System.nanoTime() - started) / 1_000_000);
                return;
            }
        }
    }

    private long cursor(String id, Admdvs node) {
        return db.inTransaction("read a cursor", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT cursor_seq FROM hub_clearing_source WHERE clearing_id = ? AND admdvs = ?")) {
                ps.setString(1, id);
                ps.setString(2, node.code());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private void failed(String id, Admdvs node, String why) {
        String text = why.length() > 480 ? why.substring(0, 480) + "…" : why;
        LOG.warn("Clearing {}: node {} — {}; tried again later", id, node, text);
        db.inTransaction("record a clearing failure", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE hub_clearing_source SET last_error = ? WHERE clearing_id = ? AND admdvs = ?")) {
                ps.setString(1, text);
                ps.setString(2, id);
                ps.setString(3, node.code());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void giveUp(Run run) {
        db.inTransaction("give up waiting for reports of " + run.clearingId(), c -> {
            List<String> missing = new ArrayList<>();
            for (Source s : run.sources()) {
                if ("WAITING".equals(s.report())) {
                    missing.add(s.node().code());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_clearing_source SET report = 'MISSING' WHERE "
                    + "clearing_id = ? AND report = 'WAITING'")) {
                ps.setString(1, run.clearingId());
                ps.executeUpdate();
            }
            // what a missing node reported before it went is not part of the run
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM hub_clearing_line WHERE clearing_id = ? AND "
                    + "((side = 'C' AND treatment = ?) OR (side = 'A' AND insured = ?))")) {
                for (String m : missing) {
                    ps.setString(1, run.clearingId());
                    ps.setString(2, m);
                    ps.setString(3, m);
                    ps.executeUpdate();
                }
            }
            audit.record(c, new AuditEvent(clock.instant(), "hub", AuditChannel.SYSTEM, "CLEARING_REPORT_MISSING",
                    run.clearingId(), "no report from " + String.join(", ", missing) + " within " + collect.toMinutes()
                    + " min: their lines are carried to the next clearing"));
            LOG.warn("Clearing {}: no report from {} within {} min; the run goes on without (their lines, and the "
                    + "others' lines with their provinces, are carried forward)", run.clearingId(), missing,
                    collect.toMinutes());
            return null;
        });
    }

    // ---- matching

    private void match(Run run) {
        String id = run.clearingId();
        Optional<String> previous = db.inTransaction("find the previous clearing", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT clearing_id FROM hub_clearing_run WHERE month < ? "
                    + "ORDER BY month DESC FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, run.month().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        Set<Admdvs> reported = new HashSet<>();
        for (Source s : run.sources()) {
            if ("REPORTED".equals(s.report())) {
                reported.add(s.node());
            }
        }
        long started = System.nanoTime();
        long[] counts = new long[2];
        db.inTransaction("match clearing " + id, c -> {
            Map<String, long[]> positions = new TreeMap<>();
            try (PreparedStatement claims = lines(c, id, "C"); PreparedStatement applications = lines(c, id, "A");
                 ResultSet cr = claims.executeQuery(); ResultSet ar = applications.executeQuery();
                 PreparedStatement firstSeen = c.prepareStatement("SELECT first_seen FROM hub_clearing_case WHERE "
                         + "clearing_id = ? AND treatment = ? AND setl_id = ? AND movement = ?");
                 PreparedStatement insertCase = c.prepareStatement("INSERT INTO hub_clearing_case (clearing_id, "
                         + "treatment, setl_id, movement, insured, month, kind, claimed, applied, first_seen) VALUES "
                         + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                SQLException[] failed = {null};
                Matcher.match(iterate(cr), iterate(ar), reported, new Matcher.Sink() {
                    @Override
                    public void cleared(HubLine claim) {
                        long[] p = positions.computeIfAbsent(claim.treatment().code() + "|" + claim.insured().code(),
                                k -> new long[9]);
                        long[] fen = claim.amounts().values();
                        for (int i = 0; i < 8; i++) {
                            p[i] = Math.addExact(p[i], fen[i]);
                        }
                        p[8]++;
                        counts[0]++;
                    }

                    @Override
                    public void carried(ClearingCase.Kind kind, HubLine claim, HubLine application) {
                        if (failed[0] != null) {
                            return;
                        }
                        HubLine l = claim != null ? claim : application;
                        try {
                            String first = id;
                            if (previous.isPresent()) {
                                firstSeen.setString(1, previous.get());
                                firstSeen.setString(2, l.treatment().code());
                                firstSeen.setString(3, l.setlId());
                                firstSeen.setString(4, l.movement().sign());
                                try (ResultSet rs = firstSeen.executeQuery()) {
                                    if (rs.next()) {
                                        first = rs.getString(1);
                                    }
                                }
                            }
                            insertCase.setString(1, id);
                            insertCase.setString(2, l.treatment().code());
                            insertCase.setString(3, l.setlId());
                            insertCase.setString(4, l.movement().sign());
                            insertCase.setString(5, (claim != null ? claim : application).insured().code());
                            insertCase.setString(6, l.month().toString());
                            insertCase.setString(7, kind.name());
                            insertCase.setString(8, claim == null ? null : text(claim.amounts()));
                            insertCase.setString(9, application == null ? null : text(application.amounts()));
                            insertCase.setString(10, first);
                            insertCase.addBatch();
                            if (++counts[1] % 1000 == 0) {
                                insertCase.executeBatch();
                            }
                        } catch (SQLException e) {
                            failed[0] = e;
                        }
                    }
                });
                if (failed[0] != null) {
                    throw failed[0];
                }
                insertCase.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_clearing_position (clearing_id, treatment, "
                    + "insured, lines, hifp, cvlserv, hifes, hifmi, hifob, maf, oth, acct) VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, long[]> e : positions.entrySet()) {
                    String[] k = e.getKey().split("\\|");
                    long[] p = e.getValue();
                    ps.setString(1, id);
                    ps.setString(2, k[0]);
                    ps.setString(3, k[1]);
                    ps.setLong(4, p[8]);
                    for (int i = 0; i < 8; i++) {
                        ps.setLong(5 + i, p[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            long netSum = 0;
            for (Admdvs province : provinces(c, id)) {
                netSum = Math.addExact(netSum, statement(c, id, run.month(), province).net());
            }
            if (netSum != 0) {
                throw new IllegalStateException("the statements of clearing " + id + " sum to " + netSum
                        + " fen, not 0: nothing was issued");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_clearing_run SET state = 'DELIVERING', "
                    + "claim_lines = (SELECT COUNT(*) FROM hub_clearing_line WHERE clearing_id = ? AND side = 'C'), "
                    + "application_lines = (SELECT COUNT(*) FROM hub_clearing_line WHERE clearing_id = ? AND side = 'A'), "
                    + "cleared_lines = ?, cases = ?, net_sum = ?, updated_at = ? WHERE clearing_id = ? AND "
                    + "state = 'COLLECTING'")) {
                ps.setString(1, id);
                ps.setString(2, id);
                ps.setLong(3, counts[0]);
                ps.setLong(4, counts[1]);
                ps.setLong(5, netSum);
                ps.setTimestamp(6, Timestamp.from(clock.instant()));
                ps.setString(7, id);
                ps.executeUpdate();
            }
            audit.record(c, new AuditEvent(clock.instant(), "hub", AuditChannel.SYSTEM, "CLEARING_MATCHED", id,
                    counts[0] + " lines cleared, " + counts[1] + " carried forward; statements sum to 0"));
            return null;
        });
        LOG.info("Clearing {} matched in {} ms: {} lines cleared, {} cases carried forward; statements sum to 0",
                id, (System.nanoTime() - started) / 1_000_000, counts[0], counts[1]);
    }

    private static PreparedStatement lines(Connection c, String id, String side) throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT treatment, setl_id, movement, insured, month, hifp, cvlserv, "
                + "hifes, hifmi, hifob, maf, oth, acct FROM hub_clearing_line WHERE clearing_id = ? AND side = ? "
                + "ORDER BY treatment, setl_id, movement");
        ps.setString(1, id);
        ps.setString(2, side);
        ps.setFetchSize(1000);
        return ps;
    }

    private static Iterator<HubLine> iterate(ResultSet rs) {
        return new Iterator<>() {
            private HubLine next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        if (rs.next()) {
                            long[] fen = new long[8];
                            for (int i = 0; i < 8; i++) {
                                fen[i] = rs.getLong(6 + i);
                            }
                            next = new HubLine(Admdvs.of(rs.getString(1)), rs.getString(2),
                                    Movement.ofSign(rs.getString(3)), Admdvs.of(rs.getString(4)),
                                    YearMonth.parse(rs.getString(5)), FundAmounts.of(fen));
                        } else {
                            done = true;
                        }
                    } catch (SQLException e) {
                        throw new StoreException("read the reported lines", e);
                    }
                }
                return next != null;
            }

            @Override
            public HubLine next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                HubLine n = next;
                next = null;
                return n;
            }
        };
    }

    static String text(FundAmounts a) {
        StringBuilder b = new StringBuilder();
        for (long v : a.values()) {
            b.append(b.length() == 0 ? "" : ",").append(v);
        }
        return b.toString();
    }

    static Optional<FundAmounts> amounts(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] p = text.split(",");
        long[] fen = new long[8];
        for (int i = 0; i < 8; i++) {
            fen[i] = Long.parseLong(p[i]);
        }
        return Optional.of(FundAmounts.of(fen));
    }

    // ---- delivering

    private void deliver(Run run, Source source) {
        String id = run.clearingId();
        Admdvs node = source.node();
        try {
            long sent = casesSent(id, node);
            while (!Thread.currentThread().isInterrupted()) {
                long from = sent;
                List<String> keys = db.inTransaction("read cases for " + node, c -> {
                    List<String> list = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement("SELECT treatment, insured, setl_id, movement FROM "
                            + "hub_clearing_case WHERE clearing_id = ? AND (treatment = ? OR insured = ?) ORDER BY "
                            + "treatment, setl_id, movement OFFSET " + from + " ROWS FETCH NEXT " + pageLines
                            + " ROWS ONLY")) {
                        ps.setString(1, id);
                        ps.setString(2, node.code());
                        ps.setString(3, node.code());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                boolean claims = rs.getString(1).equals(node.code());
                                list.add((claims ? "C|" + rs.getString(2) : "A|" + rs.getString(1)) + "|"
                                        + rs.getString(3) + "|" + rs.getString(4));
                            }
                        }
                    }
                    return list;
                });
                if (keys.isEmpty()) {
                    break;
                }
                hub.ask(node, ClearingMessages.CASES, ClearingMessages.write(new ClearingMessages.CasesRequest(id, keys)));
                sent += keys.size();
                long now = sent;
                db.inTransaction("record cases sent", c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE hub_clearing_source SET cases_sent = ? "
                            + "WHERE clearing_id = ? AND admdvs = ?")) {
                        ps.setLong(1, now);
                        ps.setString(2, id);
                        ps.setString(3, node.code());
                        ps.executeUpdate();
                    }
                    return null;
                });
            }
            ClearingStatement statement = statement(node, run.month());
            ClearingMessages.CloseAnswer answer = ClearingMessages.read(hub.ask(node, ClearingMessages.CLOSE,
                    ClearingMessages.write(new ClearingMessages.CloseRequest(id, run.month().toString(),
                            "REPORTED".equals(source.report()), ClearingMessages.StatementMessage.of(statement)))),
                    ClearingMessages.CloseAnswer.class);
            db.inTransaction("record delivery to " + node, c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE hub_clearing_source SET delivered_at = ?, "
                        + "last_error = '' WHERE clearing_id = ? AND admdvs = ?")) {
                    ps.setTimestamp(1, Timestamp.from(clock.instant()));
                    ps.setString(2, id);
                    ps.setString(3, node.code());
                    ps.executeUpdate();
                }
                touch(c, id);
                return null;
            });
            LOG.info("Clearing {}: {} has its statement (net {} fen){}", id, node, statement.net(), answer.repeated()
                    ? " (it had it already)" : ": " + answer.cleared() + " lines cleared, " + answer.carried() + " carried");
        } catch (LinkUnavailableException | IllegalStateException | IllegalArgumentException e) {
            failed(id, node, "result: " + e.getMessage());
        }
    }

    private long casesSent(String id, Admdvs node) {
        return db.inTransaction("read cases sent", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT cases_sent FROM hub_clearing_source WHERE clearing_id = ? AND admdvs = ?")) {
                ps.setString(1, id);
                ps.setString(2, node.code());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private void finish(String id) {
        boolean done = db.inTransaction("finish clearing " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM hub_clearing_source WHERE clearing_id = ? AND delivered_at IS NULL")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_clearing_run SET state = 'CLEARED', updated_at = ? "
                    + "WHERE clearing_id = ? AND state = 'DELIVERING'")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, id);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            audit.record(c, new AuditEvent(clock.instant(), "hub", AuditChannel.SYSTEM, "CLEARING_CLEARED", id,
                    "every node has its statement"));
            return true;
        });
        if (done) {
            LOG.info("Clearing {} CLEARED: every node has its statement", id);
        }
    }

    private void touch(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE hub_clearing_run SET updated_at = ? WHERE clearing_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    // ---- reading

    @Override
    public List<Run> runs() {
        return db.inTransaction("read the clearing runs", c -> {
            List<Run> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT clearing_id FROM hub_clearing_run ORDER BY month DESC");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(run(c, rs.getString(1)).orElseThrow());
                }
            }
            return list;
        });
    }

    @Override
    public Optional<Run> run(YearMonth month) {
        return runById(ClearingHub.idOf(month));
    }

    private Optional<Run> runById(String id) {
        return db.inTransaction("read clearing " + id, c -> run(c, id));
    }

    private static Optional<Run> run(Connection c, String id) throws SQLException {
        List<Source> sources = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT admdvs, report, claim_lines, application_lines, "
                + "delivered_at, last_error FROM hub_clearing_source WHERE clearing_id = ? ORDER BY admdvs")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp delivered = rs.getTimestamp(5);
                    sources.add(new Source(Admdvs.of(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            delivered == null ? null : delivered.toInstant(), rs.getString(6)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT month, state, started_at, started_by, updated_at, "
                + "claim_lines, application_lines, cleared_lines, cases, net_sum FROM hub_clearing_run WHERE "
                + "clearing_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                State state = State.valueOf(rs.getString(2));
                long claims = rs.getLong(6);
                long applications = rs.getLong(7);
                if (state == State.COLLECTING) {
                    claims = sources.stream().mapToLong(Source::claimLines).sum();
                    applications = sources.stream().mapToLong(Source::applicationLines).sum();
                }
                return Optional.of(new Run(id, YearMonth.parse(rs.getString(1)), state,
                        rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getTimestamp(5).toInstant(), sources,
                        claims, applications, rs.getLong(8), rs.getLong(9), rs.getLong(10)));
            }
        }
    }

    @Override
    public ClearingStatement statement(Admdvs province, YearMonth month) {
        String id = ClearingHub.idOf(month);
        return db.inTransaction("read a clearing statement", c -> {
            Optional<Run> run = run(c, id);
            if (run.isEmpty() || run.get().state() == State.COLLECTING) {
                throw new IllegalArgumentException(month + " is not cleared" + (run.isEmpty() ? "" : " yet (COLLECTING)"));
            }
            if (run.get().sources().stream().noneMatch(s -> s.node().equals(province))
                    && !provinces(c, id).contains(province)) {
                throw new IllegalArgumentException(province + " took no part in clearing " + id);
            }
            return statement(c, id, month, province);
        });
    }

    private static ClearingStatement statement(Connection c, String id, YearMonth month, Admdvs province)
            throws SQLException {
        Map<String, Object[]> byCounterpart = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT treatment, insured, lines, hifp, cvlserv, hifes, hifmi, "
                + "hifob, maf, oth, acct FROM hub_clearing_position WHERE clearing_id = ? AND (treatment = ? OR "
                + "insured = ?)")) {
            ps.setString(1, id);
            ps.setString(2, province.code());
            ps.setString(3, province.code());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean receives = rs.getString(1).equals(province.code());
                    String counterpart = receives ? rs.getString(2) : rs.getString(1);
                    long[] fen = new long[8];
                    for (int i = 0; i < 8; i++) {
                        fen[i] = rs.getLong(4 + i);
                    }
                    Object[] p = byCounterpart.computeIfAbsent(counterpart,
                            k -> new Object[] {FundAmounts.ZERO, 0L, FundAmounts.ZERO, 0L});
                    int at = receives ? 0 : 2;
                    p[at] = ((FundAmounts) p[at]).plus(FundAmounts.of(fen));
                    p[at + 1] = (Long) p[at + 1] + rs.getLong(3);
                }
            }
        }
        List<ClearingStatement.Position> positions = new ArrayList<>();
        byCounterpart.forEach((k, p) -> positions.add(new ClearingStatement.Position(Admdvs.of(k), (FundAmounts) p[0],
                (Long) p[1], (FundAmounts) p[2], (Long) p[3])));
        long carried;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hub_clearing_case WHERE clearing_id = ? "
                + "AND (treatment = ? OR insured = ?)")) {
            ps.setString(1, id);
            ps.setString(2, province.code());
            ps.setString(3, province.code());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                carried = rs.getLong(1);
            }
        }
        return new ClearingStatement(id, month, province, positions, carried);
    }

    /** Every province of a run: its nodes and every province of a position or a case. */
    private static Set<Admdvs> provinces(Connection c, String id) throws SQLException {
        Set<Admdvs> set = new java.util.TreeSet<>();
        for (String sql : new String[] {"SELECT admdvs FROM hub_clearing_source WHERE clearing_id = ?",
                "SELECT treatment FROM hub_clearing_position WHERE clearing_id = ?",
                "SELECT insured FROM hub_clearing_position WHERE clearing_id = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        set.add(Admdvs.of(rs.getString(1)));
                    }
                }
            }
        }
        return set;
    }

    @Override
    public List<ClearingCase> cases(YearMonth month) {
        String id = ClearingHub.idOf(month);
        return db.inTransaction("read clearing cases", c -> {
            List<ClearingCase> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT treatment, insured, setl_id, movement, month, kind, "
                    + "claimed, applied, first_seen FROM hub_clearing_case WHERE clearing_id = ? ORDER BY treatment, "
                    + "setl_id, movement")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new ClearingCase(id, Admdvs.of(rs.getString(1)), Admdvs.of(rs.getString(2)),
                                rs.getString(3), Movement.ofSign(rs.getString(4)), YearMonth.parse(rs.getString(5)),
                                ClearingCase.Kind.valueOf(rs.getString(6)), amounts(rs.getString(7)),
                                amounts(rs.getString(8)), rs.getString(9)));
                    }
                }
            }
            return list;
        });
    }

    @Override
    public String picture(YearMonth month) {
        Run run = run(month).orElseThrow(() -> new IllegalArgumentException(month + " is not cleared"));
        if (run.state() == State.COLLECTING) {
            throw new IllegalArgumentException(month + " is not cleared yet (COLLECTING)");
        }
        Map<String, Long> flows = new LinkedHashMap<>();
        List<Admdvs> provinces = db.inTransaction("read the positions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT treatment, insured, hifp + cvlserv + hifes + hifmi "
                    + "+ hifob + maf + oth + acct FROM hub_clearing_position WHERE clearing_id = ?")) {
                ps.setString(1, run.clearingId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        flows.put(rs.getString(2) + "|" + rs.getString(1), rs.getLong(3));
                    }
                }
            }
            return new ArrayList<>(provinces(c, run.clearingId()));
        });
        return ClearingPicture.svg(run, provinces, flows);
    }

    // ---- health

    @Override
    public String name() {
        return "clearing";
    }

    @Override
    public HealthResult check() {
        List<Run> open = runs().stream().filter(r -> r.state() != State.CLEARED).toList();
        if (open.isEmpty()) {
            return HealthResult.ok("no clearing running");
        }
        StringBuilder b = new StringBuilder();
        for (Run r : open) {
            b.append(b.length() == 0 ? "" : "; ").append(r.clearingId()).append(' ').append(r.state());
            for (Source s : r.sources()) {
                if (!s.lastError().isEmpty()) {
                    b.append(", ").append(s.node()).append(": ").append(s.lastError());
                }
            }
        }
        // a run waiting for a node is the node's problem, not the hub's: the hub is healthy
        return HealthResult.ok(b.toString());
    }
}
