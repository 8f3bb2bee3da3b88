package org.medsettle.ledger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.LedgerCheck;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger (tables {@code ledger_posting}, {@code ledger_entry}: this component is their only writer, and it only
 * inserts). Its check proves that all entries sum to zero, that every posting balances, and runs every
 * {@link LedgerCheck} the owners of the records behind the postings register (settlements at the place of
 * treatment, applications at the insured place). {@code medsettle:ledger-check} runs it on demand; the health check
 * {@value #NAME} reports the last run, repeated every {@code checkMinutes} (default 15) in the background, so that a
 * load balancer's health probe never scans the ledger.
 */
@Component(service = {Ledger.class, HealthCheck.class}, configurationPid = LedgerService.PID)
@Designate(ocd = LedgerService.Config.class)
public class LedgerService implements Ledger, HealthCheck {

    static final String PID = "org.medsettle.ledger";
    static final String NAME = "ledger";
    /** How many differences a check lists, per check. */
    static final int LIMIT = 20;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerService.class);

    @ObjectClassDefinition(name = "medsettle ledger", description = "etc/org.medsettle.ledger.cfg")
    public @interface Config {
        @AttributeDefinition(description = "How often the ledger check runs in the background, in minutes (its last result is the health check 'ledger')")
        int checkMinutes() default 15;
    }

    private final Transactor db;
    private final Clock clock;
    private final List<LedgerCheck> checks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService background;
    private volatile Report last;
    private volatile Instant lastAt;

    @Activate
    public LedgerService(@Reference Transactor db,
                         @Reference(target = "(owner=medsettle-ledger)") SchemaReady schema, Config config) {
        this(db, Clock.systemUTC());
        long minutes = Math.max(1, config.checkMinutes());
        background.scheduleWithFixedDelay(this::checkInBackground, 1, minutes * 60, TimeUnit.SECONDS);
        LOG.info("Ledger at schema version {}: checked every {} min in the background (medsettle:ledger-check now)",
                schema.version(), minutes);
    }

    /** For tests: a ledger on {@code db} (its schema applied), without the background check. */
    public LedgerService(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-ledger-check");
            t.setDaemon(true);
            return t;
        });
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addCheck(LedgerCheck check) {
        checks.add(check);
    }

    void removeCheck(LedgerCheck check) {
        checks.remove(check);
    }

    @Deactivate
    void deactivate() {
        background.shutdownNow();
    }

    @Override
    public void post(Connection transaction, Posting posting) throws SQLException {
        long id;
        try (PreparedStatement ps = transaction.prepareStatement(
                "INSERT INTO ledger_posting (kind, reference, posted_at) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, posting.kind());
            ps.setString(2, posting.reference());
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no posting id generated for " + posting.kind() + " " + posting.reference());
                }
                id = keys.getLong(1);
            }
        }
        // one statement for all of them (a multi-row insert: one execution instead of a batch of one per entry)
        List<Posting.Entry> entries = posting.entries();
        try (PreparedStatement ps = transaction.prepareStatement("INSERT INTO ledger_entry (posting_id, account, "
                + "amount_fen) VALUES " + String.join(", ", java.util.Collections.nCopies(entries.size(), "(?, ?, ?)")))) {
            int i = 1;
            for (Posting.Entry e : entries) {
                ps.setLong(i++, id);
                ps.setString(i++, e.account());
                ps.setLong(i++, e.fen());
            }
            ps.executeUpdate();
        }
    }

    @Override
    public java.util.Optional<Posting> posted(Connection transaction, String kind, String reference)
            throws SQLException {
        try (PreparedStatement ps = transaction.prepareStatement("SELECT e.account, e.amount_fen FROM ledger_posting p "
                + "JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE p.kind = ? AND p.reference = ? "
                + "ORDER BY e.entry_id")) {
            ps.setString(1, kind);
            ps.setString(2, reference);
            List<Posting.Entry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Posting.Entry(rs.getString(1), rs.getLong(2)));
                }
            }
            return entries.isEmpty() ? java.util.Optional.empty()
                    : java.util.Optional.of(new Posting(kind, reference, entries));
        }
    }

    @Override
    public List<Balance> balances(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        return db.inTransaction("read the ledger's balances", c -> {
            List<Balance> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT account, SUM(amount_fen), COUNT(*) FROM ledger_entry "
                    + "WHERE account LIKE ? GROUP BY account ORDER BY account")) {
                ps.setString(1, p.replace("%", "").replace("_", "") + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Balance(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Report verify() {
        long start = System.nanoTime();
        List<LedgerCheck> running = List.copyOf(checks);
        Report report = db.inTransaction("check the ledger", c -> {
            List<String> problems = new ArrayList<>();
            long entries;
            long sum;
            long postings;
            // one ordered pass over the entries (the posting_id index): the total, the number, and each posting's
            // balance and number of entries, without a grouping sort
            entries = 0;
            sum = 0;
            long postingsWithEntries = 0;
            List<Long> unbalanced = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT posting_id, amount_fen FROM ledger_entry ORDER BY posting_id")) {
                long current = Long.MIN_VALUE;
                long balance = 0;
                int count = 0;
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long fen = rs.getLong(2);
                    if (id != current) {
                        if (current != Long.MIN_VALUE && (balance != 0 || count < 2) && unbalanced.size() < LIMIT) {
                            unbalanced.add(current);
                        }
                        current = id;
                        balance = 0;
                        count = 0;
                        postingsWithEntries++;
                    }
                    balance += fen;
                    count++;
                    sum += fen;
                    entries++;
                }
                if (current != Long.MIN_VALUE && (balance != 0 || count < 2) && unbalanced.size() < LIMIT) {
                    unbalanced.add(current);
                }
            }
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ledger_posting")) {
                    rs.next();
                    postings = rs.getLong(1);
                }
            }
            if (sum != 0) {
                problems.add("the ledger's entries sum to " + sum + " fen, not 0");
            }
            for (long id : unbalanced) {
                try (PreparedStatement ps = c.prepareStatement("SELECT p.kind, p.reference, COUNT(e.entry_id), "
                        + "COALESCE(SUM(e.amount_fen), 0) FROM ledger_posting p LEFT JOIN ledger_entry e ON "
                        + "e.posting_id = p.posting_id WHERE p.posting_id = ? GROUP BY p.kind, p.reference")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            problems.add("posting " + rs.getString(1) + " " + rs.getString(2) + " does not balance: "
                                    + rs.getLong(3) + " entries summing to " + rs.getLong(4) + " fen");
                        }
                    }
                }
            }
            if (postingsWithEntries < postings) {
                // postings without any entry: rare, found by name only then
                try (PreparedStatement ps = c.prepareStatement("SELECT p.kind, p.reference FROM ledger_posting p WHERE "
                        + "NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.posting_id = p.posting_id)")) {
                    ps.setMaxRows(LIMIT);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            problems.add("posting " + rs.getString(1) + " " + rs.getString(2) + " does not balance: "
                                    + "0 entries summing to 0 fen");
                        }
                    }
                }
            }
            List<String> names = new ArrayList<>();
            names.add("entries sum to zero, every posting balances (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            for (LedgerCheck check : running) {
                long t0 = System.nanoTime();
                try {
                    problems.addAll(check.problems(c, LIMIT));
                } catch (SQLException e) {
                    problems.add(check.name() + ": could not be checked (" + e.getMessage() + ")");
                }
                names.add(check.name() + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
            }
            return new Report(problems, postings, entries, sum, 0, names);
        });
        Report done = new Report(report.problems(), report.postings(), report.entries(), report.sum(),
                (System.nanoTime() - start) / 1_000_000, report.checks());
        last = done;
        lastAt = clock.instant();
        return done;
    }

    private void checkInBackground() {
        try {
            Report r = verify();
            if (r.problems().isEmpty()) {
                LOG.info("Ledger checked: {} postings, {} entries, sum 0, in {} ms", r.postings(), r.entries(),
                        r.millis());
            } else {
                LOG.error("Ledger check found {} problem(s) (medsettle:ledger-check lists them): {}",
                        r.problems().size(), r.problems().get(0));
            }
        } catch (RuntimeException e) {
            LOG.warn("Ledger check could not run: {}", e.getMessage());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The health check: the last background (or console) run; it never scans the ledger itself. */
    @Override
    public HealthResult check() {
        Report r = last;
        if (r == null) {
            return HealthResult.ok("not checked yet since start (runs a minute after start; medsettle:ledger-check "
                    + "runs it now)");
        }
        String when = " (checked at " + lastAt + " in " + r.millis() + " ms)";
        if (!r.problems().isEmpty()) {
            return HealthResult.fail(r.problems().size() + " problem(s), first: " + r.problems().get(0) + when
                    + "; medsettle:ledger-check lists them");
        }
        return HealthResult.ok(r.postings() + " postings, " + r.entries() + " entries, sum 0" + when);
    }
}
