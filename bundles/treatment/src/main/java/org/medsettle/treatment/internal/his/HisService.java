package org.medsettle.treatment.internal.his;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.medsettle.api.Admdvs;
import org.medsettle.api.JsonErrors;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.health.FailureLog;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.insured.CoverageRefusedException;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.maintenance.InMaintenanceException;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.ledger.Ledger;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.policy.PolicyNotFoundException;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.settlement.SettlementEngine;
import org.medsettle.api.settlement.SettlementRefusedException;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.StoreException;
import org.medsettle.api.store.Transactor;
import org.medsettle.api.supervision.Supervision;
import org.medsettle.support.AwaitedService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of the national HIS interface on this node (his-interface.md), behind every HIS adapter:
 * the envelope, msgid idempotency (a repeat with the same body gets the first answer; with another body it is
 * refused), dispatch by {@code infno}, and the translation of every failure into a response envelope.
 */
@Component(service = {HisTransactions.class, org.medsettle.api.provisional.ProvisionalSettlements.class,
        org.medsettle.api.health.HealthCheck.class}, configurationPid = HisService.PID)
public class HisService implements HisTransactions, org.medsettle.api.provisional.ProvisionalSettlements,
        org.medsettle.api.health.HealthCheck {

    /** The transactions' settings: the window of plausible dates ({@link PlausibleDates}). */
    static final String PID = "org.medsettle.transactions";
    private static final Logger LOG = LoggerFactory.getLogger(HisService.class);
    /** Failures of the database, the link and the node itself: one line per kind a minute, with a count. */
    private final FailureLog failures = new FailureLog(LOG::error, java.time.Duration.ofMinutes(1), Clock.systemUTC());
    private static final Pattern INFNO = Pattern.compile("\\d{4}");
    private static final Pattern MSGID = Pattern.compile("[0-9A-Za-z]{30}");

    private final Deps deps;
    private final Envelopes envelopes;
    private final ObjectMapper json = new ObjectMapper()
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final Map<String, Transaction> handlers;
    private final SettlementTransactions settlements;
    /** Degraded settlement (暂记结算): settings, snapshots, queue; and what applies the queue. */
    private final Provisional provisional;
    private final ProvisionalApplier applier;
    private final ReentrantLock[] messageLocks = new ReentrantLock[256];
    private ScheduledExecutorService housekeeping;
    /** The provisional queue's turns on {@link #housekeeping}: scheduled again when their period is changed. */
    private java.util.concurrent.ScheduledFuture<?> applying;

    private volatile InsuredPlace local;
    /** The national link: waited for while its bundle is updated ({@link #LINK_WAIT}). */
    private final AwaitedService<InsuredPlace> remote = new AwaitedService<>();
    private volatile Duration linkWait = Duration.ofMillis(10_000);
    /** Setting of {@value #PID}: how long a transaction waits for the national link while it is being updated. */
    static final String LINK_WAIT = "linkWaitMillis";

    /** A transaction's handler and where its msgid's record is read. */
    private record Transaction(Handler handler, MsgidLookUp msgidLookUp) {
    }

    private static Map.Entry<String, Transaction> before(String infno, Handler handler) {
        return Map.entry(infno, new Transaction(handler, MsgidLookUp.BEFORE));
    }

    private static Map.Entry<String, Transaction> inItsCommit(String infno, Handler handler) {
        return Map.entry(infno, new Transaction(handler, MsgidLookUp.IN_ITS_COMMIT));
    }

    private static Map.Entry<String, Transaction> byItsHandler(String infno, Handler handler) {
        return Map.entry(infno, new Transaction(handler, MsgidLookUp.BY_ITS_HANDLER));
    }

    @FunctionalInterface
    private interface Handler {
        byte[] handle(Call call);
    }

    @Activate
    public HisService(@Reference Transactor db, @Reference InstanceIdentity identity,
                      @Reference HospitalRegistry hospitals, @Reference Catalogue catalogue,
                      @Reference SettlementEngine engine, @Reference PolicyRegistry policies,
                      @Reference AuditLog audit,
                      // this bundle's own tables (settlement_top_up): never run on a schema that lacks them
                      @Reference(target = "(owner=medsettle-treatment)") org.medsettle.api.store.SchemaReady schema,
                      Map<String, Object> properties) {
        this(db, identity, hospitals, catalogue, engine, policies, audit, null, null, null, null,
                org.medsettle.api.BusinessClock.system());
        modified(properties);
        startHousekeeping();
    }

    /**
     * The node's own rounds: pending settlements nobody finished released (every minute), the provisional queue
     * applied (every {@code provisional.applySeconds}); stopped by {@link #deactivate()}.
     */
    synchronized void startHousekeeping() {
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-pending-settlements");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::releaseStale, 1, 1, TimeUnit.MINUTES);
        scheduleApplying(provisional.settings().apply());
    }

    /** The provisional settlements' queue applied every {@code period} from now on ({@code provisional.applySeconds}). */
    private synchronized void scheduleApplying(Duration period) {
        if (housekeeping == null) {
            return; // a test's service without housekeeping, or the constructor has not made it yet
        }
        if (applying != null) {
            applying.cancel(false);
        }
        applying = housekeeping.scheduleWithFixedDelay(this::applyProvisional, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * @param insuredPlaces for tests: the service answering for an insured province; null: this node's own
     *                      insured-place service for its province and the national link for the others
     * @param outbox        for tests: where settlement notices go; null: the national link's outbox
     * @param ledger        for tests: the ledger; null: the ledger service (bundle medsettle-ledger)
     * @param supervision   for tests: the supervision rules; null: the service (bundle medsettle-supervision)
     */
    HisService(Transactor db, InstanceIdentity identity, HospitalRegistry hospitals, Catalogue catalogue,
               SettlementEngine engine, PolicyRegistry policies, AuditLog audit,
               Function<Admdvs, InsuredPlace> insuredPlaces, NoticeOutbox outbox, Ledger ledger,
               Supervision supervision, Clock clock) {
        Function<Admdvs, InsuredPlace> places = insuredPlaces == null ? this::insuredPlace : insuredPlaces;
        this.deps = new Deps(db, identity, hospitals, catalogue, engine, policies, audit,
                insured -> unlessInMaintenance(insured, places), outbox == null ? this::notice : outbox,
                ledgerOf(), this::supervision, clock, new PlausibleDates(clock));
        if (ledger != null) {
            this.ledger.bind(ledger);
        }
        if (supervision != null) {
            this.supervision.bind(supervision);
        }
        this.envelopes = new Envelopes(deps);
        this.provisional = new Provisional(deps);
        KnownCoverage known = new KnownCoverage();
        VisitTransactions visits = new VisitTransactions(deps, envelopes, provisional, known);
        PersonTransactions persons = new PersonTransactions(deps, envelopes);
        VisitLocks visitLocks = new VisitLocks();
        this.settlements = new SettlementTransactions(deps, envelopes, visitLocks, provisional, known,
                this::homeCatalogue);
        this.applier = new ProvisionalApplier(deps, settlements, provisional);
        Reversals reversals = new Reversals(deps, envelopes, visitLocks);
        SettlementQuery settlementQuery = new SettlementQuery(deps, envelopes);
        Reconciliation reconciliation = new Reconciliation(deps, envelopes);
        Corrections corrections = new Corrections(deps, envelopes, settlements);
        // each transaction with where it reads its msgid's record (MsgidLookUp): before it unless named
        this.handlers = Map.ofEntries(
                before("9001", persons::signIn),
                before("1101", persons::person),
                // a coverage exchange comes before its commit, which a repeat must not make
                before("2401", visits::admit),
                inItsCommit("2402", visits::discharge),
                inItsCommit("2404", visits::cancelAdmission),
                inItsCommit("2405", visits::cancelDischarge),
                before("2201", visits::register),
                inItsCommit("2301", c -> visits.uploadFees(c, true)),
                inItsCommit("2204", c -> visits.uploadFees(c, false)),
                inItsCommit("2302", visits::cancelFees),
                byItsHandler("2303", c -> settlements.preSettle(c, false)),
                byItsHandler("2206", c -> settlements.preSettle(c, true)),
                byItsHandler("2304", c -> settlements.settle(c, false)),
                byItsHandler("2207", c -> settlements.settle(c, true)),
                before("2305", c -> reversals.reverse(c, false)),
                before("2208", c -> reversals.reverse(c, true)),
                before("5203", settlementQuery::query),
                before("3201", reconciliation::totals),
                before("3202", reconciliation::details),
                before("2601", corrections::correct));
        for (int i = 0; i < messageLocks.length; i++) {
            messageLocks[i] = new ReentrantLock();
        }
    }

    /** New settings from {@code etc/org.medsettle.transactions.cfg}, without a restart. */
    @Modified
    public void modified(Map<String, ?> properties) {
        PlausibleDates.Window window = PlausibleDates.Window.of(properties);
        if (!window.equals(deps.dates().window())) {
            LOG.info("Plausible dates: admissions up to {} days back, {} min ahead; discharges up to {} min ahead; "
                    + "fees up to {} days outside the stay", window.admissionMaxAgeDays(),
                    window.futureToleranceMinutes(), window.dischargeAheadMinutes(), window.feeDaysOutsideStay());
        }
        deps.dates().configure(window);
        Provisional.Settings degraded = Provisional.Settings.of(properties,
                problem -> LOG.warn("Provisional settlement (暂记结算), etc/{}.cfg: {}", PID, problem));
        if (!degraded.equals(provisional.settings())) {
            LOG.info("Provisional settlement (暂记结算): {}", degraded.limits().isEmpty() ? "off for every insured province"
                    : "for " + degraded.limits().entrySet().stream().map(e -> e.getKey() + " up to "
                    + e.getValue().perSettlement() + " per settlement and " + e.getValue().total() + " in all")
                    .collect(java.util.stream.Collectors.joining(", ")) + ", when silent for "
                    + degraded.after().toSeconds() + " s or announced down; what is known of persons kept "
                    + degraded.keep().toDays() + " days; the queue applied every " + degraded.apply().toSeconds()
                    + " s");
        }
        boolean newPeriod = !degraded.apply().equals(provisional.settings().apply());
        provisional.configure(degraded);
        if (newPeriod) {
            scheduleApplying(degraded.apply());
        }
        Duration recently = Duration.ofMinutes(SettingValues.number(properties,
                SettlementTransactions.PRE_SETTLEMENT_KNOWN_MINUTES,
                SettlementTransactions.DEFAULT_PRE_SETTLEMENT_KNOWN_MINUTES, 0, 1440,
                problem -> LOG.warn("Pre-settlements (2303/2206), etc/{}.cfg: {}", PID, problem)));
        if (!recently.equals(settlements.preSettlementKnown())) {
            LOG.info("Pre-settlements (2303/2206): {}", recently.isZero() ? "the insured province is asked every time"
                    : "computed without asking the insured province from what this instance learnt of the person in "
                    + "the last " + recently.toMinutes() + " min (admission, registration, their last settlement here)");
        }
        settlements.preSettlementKnown(recently);
        Object wait = properties.get(LINK_WAIT);
        try {
            linkWait = Duration.ofMillis(wait == null ? 10_000 : Math.max(0, Long.parseLong(wait.toString().strip())));
        } catch (NumberFormatException e) {
            LOG.warn("{} = '{}' in etc/{}.cfg is not a number of milliseconds; waiting {} ms for the national link",
                    LINK_WAIT, wait, PID, linkWait.toMillis());
        }
    }

    @Reference(target = "(medsettle.insured=local)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setLocal(InsuredPlace place) {
        this.local = place;
    }

    void unsetLocal(InsuredPlace place) {
        if (this.local == place) {
            this.local = null;
        }
    }

    @Reference(target = "(medsettle.insured=remote)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setRemote(InsuredPlace place) {
        remote.bind(place);
    }

    void unsetRemote(InsuredPlace place) {
        remote.unbind(place);
    }

    /** The national link's outbox: waited for while the link bundle is updated, like the remote insured place. */
    private final AwaitedService<NationalLink> link = new AwaitedService<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setLink(NationalLink l) {
        link.bind(l);
    }

    void unsetLink(NationalLink l) {
        link.unbind(l);
    }

    /** The ledger: waited for while its bundle is updated (up to {@link #LINK_WAIT}), as the national link is. */
    private final AwaitedService<Ledger> ledger = new AwaitedService<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setLedger(Ledger l) {
        ledger.bind(l);
    }

    void unsetLedger(Ledger l) {
        ledger.unbind(l);
    }

    /** The settlements' ledger: the ledger service, waited for like the link; without it nothing is settled. */
    private SettlementLedger ledgerOf() {
        return new SettlementLedger() {
            @Override
            public void post(java.sql.Connection c, Posting p) throws java.sql.SQLException {
                ledger().post(c, p);
            }

            @Override
            public Optional<Posting> posted(java.sql.Connection c, String kind, String reference)
                    throws java.sql.SQLException {
                return ledger().posted(c, kind, reference);
            }
        };
    }

    private Ledger ledger() {
        return awaited(ledger, "The ledger", waited -> new NodeNotReady("the node's ledger is not running (feature "
                + "medsettle-ledger; medsettle:health; " + waited + "): nothing was settled; send the same request "
                + "(same msgid) again in a few minutes"));
    }

    /** The supervision rules: waited for while their bundle is updated, like the ledger. */
    private final AwaitedService<Supervision> supervision = new AwaitedService<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSupervision(Supervision s) {
        supervision.bind(s);
    }

    void unsetSupervision(Supervision s) {
        supervision.unbind(s);
    }

    private Supervision supervision() {
        return awaited(supervision, "The supervision rules", waited -> new NodeNotReady("the node's supervision rules "
                + "are not running (feature medsettle-supervision; medsettle:health; " + waited + "): nothing was "
                + "settled; send the same request (same msgid) again in a few minutes"));
    }

    private void notice(java.sql.Connection c, org.medsettle.api.link.HubMessage notice) throws java.sql.SQLException {
        ofLink(link, ": the settlement's notice cannot be written").enqueue(c, notice);
    }

    /** A service of the national link: at once, or once the link bundle is back (see {@link #awaited}). */
    private <T> T ofLink(AwaitedService<T> service, String consequence) {
        return awaited(service, "The national link", waited -> new LinkUnavailableException("the national link is not "
                + "running on this node (feature medsettle-link; " + waited + ")" + consequence, null, true));
    }

    /**
     * A service another bundle provides: at once, or — while that bundle is being updated — once the new one is
     * there, waiting up to {@link #LINK_WAIT} within the hospital's request; {@code missing} says what failed when
     * none came.
     */
    private <T> T awaited(AwaitedService<T> service, String what,
                          java.util.function.Function<String, RuntimeException> missing) {
        T s = service.now();
        if (s == null) {
            long start = System.nanoTime();
            s = service.await(linkWait);
            if (s != null) {
                LOG.info("{} came back after {} ms; the transaction goes on", what,
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
        if (s == null) {
            throw missing.apply("waited " + linkWait.toMillis() + " ms");
        }
        return s;
    }

    @Deactivate
    void deactivate() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
    }

    /** The insured provinces' own catalogues (参保地目录, bundle medsettle-catalogue); none: no estimate of 待遇差. */
    private volatile org.medsettle.api.catalogue.HomeCatalogues homeCatalogues;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHomeCatalogues(org.medsettle.api.catalogue.HomeCatalogues catalogues) {
        homeCatalogues = catalogues;
    }

    void unsetHomeCatalogues(org.medsettle.api.catalogue.HomeCatalogues catalogues) {
        if (homeCatalogues == catalogues) {
            homeCatalogues = null;
        }
    }

    private Optional<org.medsettle.api.catalogue.Catalogue> homeCatalogue(Admdvs insured) {
        org.medsettle.api.catalogue.HomeCatalogues c = homeCatalogues;
        return c == null ? Optional.empty() : c.of(insured);
    }

    /** Maintenance notices (停机公告, bundle medsettle-maintenance); none: no window known, every province asked. */
    private volatile MaintenanceNotices maintenance;

    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void setMaintenance(MaintenanceNotices notices) {
        maintenance = notices;
    }

    void unsetMaintenance(MaintenanceNotices notices) {
        if (maintenance == notices) {
            maintenance = null;
        }
    }

    /**
     * Another province's insured place, unless it announced that it is down for maintenance now: then it is not asked
     * (the clerk hears so at once, instead of after a time-out).
     */
    private InsuredPlace unlessInMaintenance(Admdvs insured, Function<Admdvs, InsuredPlace> places) {
        MaintenanceNotices notices = maintenance;
        if (notices != null && !insured.sameProvinceAs(deps.node())) {
            Optional<MaintenanceNotices.Window> open = notices.openAt(insured, deps.clock().instant());
            if (open.isPresent()) {
                throw new InMaintenanceException(open.get());
            }
        }
        return places.apply(insured);
    }

    /**
     * The answer, with the insured province's maintenance window in {@code warn_msg} when one is open or begins within
     * the notices' warning time (a successful answer only; the request's {@code insuplc_admdvs} names the province).
     */
    private byte[] withNotice(byte[] answer, Optional<Admdvs> insured) {
        MaintenanceNotices notices = maintenance;
        if (notices == null || insured.isEmpty() || insured.get().sameProvinceAs(deps.node())) {
            return answer;
        }
        java.time.Instant now = deps.clock().instant();
        Optional<MaintenanceNotices.Window> window = notices.openAt(insured.get(), now)
                .or(() -> notices.upcoming(insured.get(), now, notices.warning()));
        if (window.isEmpty()) {
            return answer;
        }
        try {
            JsonNode read = json.readTree(answer);
            if (!(read instanceof com.fasterxml.jackson.databind.node.ObjectNode o)
                    || !"0".equals(o.path("infcode").asText())) {
                return answer;
            }
            String before = o.path("warn_msg").asText("");
            String notice = MaintenanceText.warning(window.get(), now, provisional.optedIn(insured.get()));
            o.put("warn_msg", before.isEmpty() ? notice : notice + "; " + before);
            return json.writeValueAsBytes(o);
        } catch (java.io.IOException e) {
            return answer;
        }
    }

    private InsuredPlace insuredPlace(Admdvs insured) {
        if (!insured.sameProvinceAs(deps.node())) {
            return ofLink(remote, "");
        }
        InsuredPlace own = local;
        if (own == null) {
            throw new LinkUnavailableException("this node's insured-place service is not running (feature "
                    + "medsettle-transactions, bundle medsettle-insured)", null, true);
        }
        return own;
    }

    void releaseStale() {
        try {
            int forgotten = deps.db().inTransaction("forget old coverage snapshots",
                    c -> provisional.prune(c, deps.clock().instant()));
            if (forgotten > 0) {
                LOG.info("{} person(s) no longer kept for provisional settlement (not read for {} days)", forgotten,
                        provisional.settings().keep().toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("Old coverage snapshots not forgotten now: {}", e.getMessage());
        }
        try {
            int released = settlements.releaseStale();
            if (released > 0) {
                LOG.info("{} pending settlement(s) older than {} released at their insured places", released,
                        SettlementTransactions.PENDING_TIMEOUT);
            }
        } catch (RuntimeException e) {
            LOG.warn("Pending settlements not released now: {}", e.getMessage());
        }
    }

    /** One round of the provisional settlements' queue, and the snapshots no longer needed forgotten. */
    void applyProvisional() {
        try {
            applier.applyQueued();
        } catch (RuntimeException e) {
            LOG.warn("Provisional settlements not applied now: {}", e.getMessage());
        }
    }

    @Override
    public java.util.List<Entry> list(Optional<String> state, Optional<Admdvs> insured, int limit) {
        state.ifPresent(st -> {
            if (!STATES.contains(st)) {
                throw new IllegalArgumentException("state: one of " + STATES + ", not '" + st + "'");
            }
        });
        return deps.db().inTransaction("list provisional settlements", c -> {
            java.util.List<Entry> out = new java.util.ArrayList<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT setl_id, insuplc_admdvs, psn_no, mdtrt_id, "
                    + "fund_pay_sumamt, state, reason, basis_read_at, queued_at, applied_at, attempts, last_problem, "
                    + "recomputed, case_reason, case_closed_at, case_closed_by, case_note FROM provisional_settlement "
                    + "WHERE (? = '' OR state = ?) AND (? = '' OR insuplc_admdvs = ?) ORDER BY seq DESC")) {
                String st = state.orElse("");
                String in = insured.map(Admdvs::code).orElse("");
                ps.setString(1, st);
                ps.setString(2, st);
                ps.setString(3, in);
                ps.setString(4, in);
                ps.setMaxRows(Math.max(1, limit));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        java.sql.Timestamp applied = rs.getTimestamp(10);
                        java.sql.Timestamp closed = rs.getTimestamp(15);
                        out.add(new Entry(rs.getString(1), Admdvs.of(rs.getString(2)), rs.getString(3),
                                rs.getString(4), org.medsettle.api.Money.ofYuan(rs.getBigDecimal(5)), rs.getString(6),
                                rs.getString(7), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant(),
                                Optional.ofNullable(applied).map(java.sql.Timestamp::toInstant), rs.getInt(11),
                                rs.getString(12), rs.getString(13), rs.getString(14),
                                closed == null ? Optional.empty() : Optional.of(rs.getString(16) + " "
                                        + MaintenanceText.china(closed.toInstant()) + ": " + rs.getString(17))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public java.util.List<ReceivedCase> received(int limit) {
        return deps.db().inTransaction("list the review cases received", c -> {
            java.util.List<ReceivedCase> out = new java.util.ArrayList<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT setl_id, mdtrtarea_admvs, psn_no, mdtrt_id, "
                    + "reason, received_at, closed_at, closed_by, note FROM insured_review_case ORDER BY received_at DESC, "
                    + "setl_id")) {
                ps.setMaxRows(Math.max(1, limit));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        java.sql.Timestamp closed = rs.getTimestamp(7);
                        out.add(new ReceivedCase(rs.getString(1), Admdvs.of(rs.getString(2)), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), closed == null
                                ? Optional.empty() : Optional.of(rs.getString(8) + " " + MaintenanceText.china(
                                        closed.toInstant()) + ": " + rs.getString(9))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, Limit> limits() {
        Provisional.Settings s = provisional.settings();
        return deps.db().inTransaction("read the provisional settlements' totals", c -> {
            Map<String, Limit> out = new java.util.TreeMap<>();
            for (Map.Entry<String, Provisional.Limit> e : s.limits().entrySet()) {
                out.put(e.getKey(), new Limit(e.getValue().perSettlement(), e.getValue().total(),
                        Provisional.outstanding(c, Admdvs.of(e.getKey()))));
            }
            return out;
        });
    }

    @Override
    public boolean closeCase(String setlId, String note, org.medsettle.api.store.Actor actor) {
        String n = note == null ? "" : note.strip();
        if (n.isEmpty() || n.length() > 500) {
            throw new IllegalArgumentException("note: the agencies' conclusion, 1 to 500 characters");
        }
        java.time.Instant now = deps.clock().instant();
        return deps.db().inTransaction("close review case " + setlId, c -> {
            int changed;
            try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE provisional_settlement SET case_closed_at = ?, "
                    + "case_closed_by = ?, case_note = ? WHERE setl_id = ? AND state = 'CASE' AND case_closed_at IS NULL")) {
                ps.setTimestamp(1, java.sql.Timestamp.from(now));
                ps.setString(2, actor.name().length() > 64 ? actor.name().substring(0, 64) : actor.name());
                ps.setString(3, n);
                ps.setString(4, setlId);
                changed = ps.executeUpdate();
            }
            if (changed == 0) {
                return false;
            }
            // the insured agency's side learns the conclusion (notice, sent by the link's durable outbox)
            String insured;
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT insuplc_admdvs FROM provisional_settlement "
                    + "WHERE setl_id = ?")) {
                ps.setString(1, setlId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    insured = rs.getString(1);
                }
            }
            com.fasterxml.jackson.databind.node.ObjectNode body = Output.object();
            body.put("setl_id", setlId);
            body.put("by", actor.name().length() > 64 ? actor.name().substring(0, 64) : actor.name());
            body.put("note", n);
            deps.outbox().enqueue(c, new org.medsettle.api.link.HubMessage("PCLOSED-" + setlId,
                    "PROVISIONAL_CASE_CLOSED", deps.node(), Admdvs.of(insured).province(), body.toString()));
            // the change and its audit record in one transaction
            deps.audit().record(c, new org.medsettle.api.store.AuditEvent(now, actor.name(), actor.channel(),
                    "PROVISIONAL_CASE_CLOSED", setlId, n));
            return true;
        });
    }

    @Override
    public int[] applyNow() {
        ProvisionalApplier.Round r = applier.applyQueued();
        return new int[] {r.applied(), r.cases(), r.waiting()};
    }

    @Override
    public String name() {
        return "provisional";
    }

    /**
     * Provisional settlement (暂记结算) at a glance: off, or per insured province that opted in what is queued and since
     * when, and the open review cases. Never FAIL: a queue waiting for a province that is down is what it is for.
     */
    @Override
    public org.medsettle.api.health.HealthResult check() {
        Provisional.Settings s = provisional.settings();
        try {
            return deps.db().inTransaction("look at the provisional settlements", c -> {
                StringBuilder out = new StringBuilder(s.limits().isEmpty() ? "off (no insured province opted in)"
                        : "for " + String.join(", ", s.limits().keySet()));
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT insuplc_admdvs, COUNT(*), MIN(queued_at) "
                        + "FROM provisional_settlement WHERE state IN ('QUEUED', 'APPLYING') GROUP BY insuplc_admdvs "
                        + "ORDER BY insuplc_admdvs"); java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append("; ").append(rs.getString(1)).append(": ").append(rs.getLong(2))
                                .append(" waiting to be applied since ")
                                .append(MaintenanceText.china(rs.getTimestamp(3).toInstant()));
                    }
                }
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM provisional_settlement "
                        + "WHERE state = 'CASE' AND case_closed_at IS NULL"); java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long open = rs.getLong(1);
                    if (open > 0) {
                        out.append("; ").append(open).append(" open review case(s) (medsettle:provisional-list --state CASE)");
                    }
                }
                return org.medsettle.api.health.HealthResult.ok(out.toString());
            });
        } catch (RuntimeException e) {
            return org.medsettle.api.health.HealthResult.ok("not read now: " + e.getMessage());
        }
    }

    /** For tests: one round of the queue. */
    ProvisionalApplier.Round applyQueued() {
        return applier.applyQueued();
    }

    @Override
    public byte[] refuse(String infcode, String errMsg) {
        return envelopes.refusal(infcode, errMsg);
    }

    /** The instance's meters (bundle medsettle-metrics); none: nothing measured. */
    private volatile io.micrometer.core.instrument.MeterRegistry meters;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        meters = registry;
    }

    void unsetMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        if (meters == registry) {
            meters = null;
        }
    }

    /**
     * A HIS request, measured: {@code medsettle_his_requests_total} and the latency histogram
     * {@code medsettle_his_request_seconds}, by {@code infno} (a transaction this node serves, else "other"),
     * {@code infcode} of the answer ("503": not taken, another instance should) and the insured province named
     * ({@code insured}, "none").
     */
    @Override
    public byte[] call(String hospital, byte[] body) {
        io.micrometer.core.instrument.MeterRegistry registry = meters;
        if (registry == null) {
            return handle(hospital, body);
        }
        long start = System.nanoTime();
        String infcode = "503";
        try {
            byte[] answer = handle(hospital, body);
            infcode = HisMeters.infcode(answer);
            return answer;
        } finally {
            HisMeters.record(registry, HisMeters.Request.of(body, handlers.keySet()), infcode, System.nanoTime() - start);
        }
    }

    private byte[] handle(String hospital, byte[] body) {
        String infno = "????";
        String msgid = "";
        Optional<Admdvs> insured = Optional.empty();
        try {
            JsonNode root = parse(body);
            Input envelope = new Input(root, "");
            infno = envelope.text("infno", INFNO, "a 4-digit transaction number");
            msgid = envelope.text("msgid", MSGID, "fixmedins_code + yyyyMMddHHmmss + a 4-digit sequence (30 letters or digits)");
            String code = envelope.text("fixmedins_code");
            if (!code.equals(hospital)) {
                throw HisRefusal.field("fixmedins_code", "the request is signed with the key of " + hospital + ", not "
                        + "of " + code);
            }
            if (!msgid.startsWith(code)) {
                throw HisRefusal.field("msgid", "must begin with the fixmedins_code " + code);
            }
            Hospital h = deps.hospitals().byCode(code).orElseThrow(() -> HisRefusal.field("fixmedins_code",
                    code + " is not a designated hospital of this node"));
            Admdvs treatment = envelope.admdvs("mdtrtarea_admvs");
            if (!treatment.sameProvinceAs(deps.node())) {
                throw HisRefusal.field("mdtrtarea_admvs", treatment + ": this node serves treatment in " + deps.node());
            }
            insured = envelope.optProvinceAdmdvs("insuplc_admdvs");
            Transaction transaction = handlers.get(infno);
            if (transaction == null) {
                throw HisRefusal.field("infno", "unknown transaction " + infno + "; this node serves "
                        + String.join(", ", new java.util.TreeSet<>(handlers.keySet())));
            }
            Optional<HisRefusal> impossibleSentAt = sentAtRefusal(envelope);
            Input input = envelope.object("input");
            Call call = new Call(infno, msgid, h, treatment, insured, new Input(input.node(), "input"),
                    org.medsettle.support.Sha256.hex(body), deps.clock().instant(), transaction.msgidLookUp());
            ReentrantLock lock = messageLocks[Math.floorMod(msgid.hashCode(), messageLocks.length)];
            lock.lock();
            try {
                // where the transaction reads its msgid's record is declared with it (the table of handlers above)
                boolean inItsCommit = call.msgidLookUp() == MsgidLookUp.IN_ITS_COMMIT;
                if (call.msgidLookUp() == MsgidLookUp.BEFORE) {
                    Optional<byte[]> repeated = lookUp(call);
                    if (repeated.isPresent()) {
                        return withNotice(repeated.get(), insured);
                    }
                }
                try {
                    if (impossibleSentAt.isPresent()) {
                        throw impossibleSentAt.get();
                    }
                    return withNotice(transaction.handler().handle(call), insured);
                } catch (HisRefusal refused) {
                    // refused before its transaction (its input, or its envelope's inf_time before the handler ran):
                    // an answered msgid still gets its first answer
                    boolean notLookedUp = inItsCommit
                            || impossibleSentAt.isPresent() && call.msgidLookUp() == MsgidLookUp.BY_ITS_HANDLER;
                    Optional<byte[]> repeated = notLookedUp ? lookUp(call) : Optional.empty();
                    if (repeated.isPresent()) {
                        return withNotice(repeated.get(), insured);
                    }
                    throw refused;
                }
            } finally {
                lock.unlock();
            }
        } catch (NodeNotReady e) {
            // the adapter answers HTTP 503 / -1 "send it again": a balancer sends it to another instance
            LOG.info("HIS {} {} {} not taken: {}", hospital, infno, msgid, e.getMessage());
            throw e;
        } catch (HisRefusal r) {
            LOG.info("HIS {} {} {} refused ({}): {}", hospital, infno, msgid, r.infcode(), r.getMessage());
            return envelopes.refusal(r.infcode(), r.getMessage());
        } catch (SettlementRefusedException e) {
            LOG.info("HIS {} {} {} refused: {}", hospital, infno, msgid, e.getMessage());
            return envelopes.refusal(HisRefusal.BUSINESS, "input." + e.getMessage());
        } catch (CoverageRefusedException | PolicyNotFoundException e) {
            LOG.info("HIS {} {} {} refused: {}", hospital, infno, msgid, e.getMessage());
            return envelopes.refusal(HisRefusal.BUSINESS, e.getMessage());
        } catch (InMaintenanceException e) {
            LOG.info("HIS {} {} {} not sent to {}: maintenance window {} until {}", hospital, infno, msgid,
                    e.window().province(), e.window().id(), e.window().until());
            return envelopes.refusal(HisRefusal.SYSTEM, e.getMessage() + ". Nothing was done; send the same request "
                    + "(same msgid) again after " + MaintenanceText.china(e.window().until()));
        } catch (LinkUnavailableException e) {
            if (instanceStopping()) {
                throw new NodeNotReady("this instance is stopping (" + e.getMessage() + ")");
            }
            // the detail (the hub's address, its answer) is for the operator; the clerk learns who and what to do
            failures.report("link", "HIS " + infno + " of " + hospital + " could not reach the insured place: "
                    + e.getMessage(), null);
            String who = insured.map(a -> "the insured province " + a).orElse("the national hub");
            return envelopes.refusal(HisRefusal.SYSTEM, who + " did not answer: nothing was done; send the same "
                    + "request (same msgid) again in a few minutes (medsettle:link-status at the node says why)");
        } catch (StoreException e) {
            if (instanceStopping()) {
                throw new NodeNotReady("this instance is stopping (" + e.getMessage() + ")");
            }
            failures.report("store", "HIS requests fail: the database failed (" + e.getMessage() + "); medsettle:health "
                    + "names the cause", e.getCause());
            return envelopes.refusal(HisRefusal.SYSTEM, "the node cannot use its database at the moment: this request "
                    + "may not have been stored; send the same request (same msgid) again in a few minutes, or correct it "
                    + "with 2601 for msgid " + msgid);
        } catch (RuntimeException e) {
            if (instanceStopping()) {
                throw new NodeNotReady("this instance is stopping (" + e.getMessage() + ")");
            }
            failures.report("internal " + e.getClass().getName(), "HIS " + infno + " of " + hospital + " failed",  e);
            return envelopes.refusal(HisRefusal.SYSTEM, "internal error at the node; the operator has the details in "
                    + "the log; if in doubt, send 2601 for msgid " + msgid);
        }
    }

    /**
     * Whether this instance is going down (Karaf stopping the framework, or this bundle stopping): a request that
     * fails then — its link, database or ledger already gone — is answered HTTP 503 "send it again" (a balancer
     * sends it to another instance; a repeated msgid finishes what was begun), not {@code -1} with HTTP 200.
     */
    static boolean instanceStopping() {
        org.osgi.framework.Bundle own = org.osgi.framework.FrameworkUtil.getBundle(HisService.class);
        if (own == null) {
            return false;
        }
        if (own.getState() == org.osgi.framework.Bundle.STOPPING) {
            return true;
        }
        org.osgi.framework.BundleContext context = own.getBundleContext();
        if (context == null) {
            return true;
        }
        try {
            org.osgi.framework.Bundle system = context.getBundle(0);
            return system != null && system.getState() == org.osgi.framework.Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private JsonNode parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonParseException e) {
            throw HisRefusal.business("the request is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + JsonErrors.plain(e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HisRefusal.business("the request is not valid JSON" + (e.getLocation() == null ? "" : " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")") + ": "
                    + JsonErrors.plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw HisRefusal.business("the request is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw HisRefusal.business("the request must be one JSON object (the envelope)");
        }
        return root;
    }

    /**
     * The envelope's {@code inf_time} (when the HIS sent the request), when it gives one: a time that exists, {@code
     * yyyy-MM-dd HH:mm:ss} — no 30 February, no 24:00. It is not compared with the node's clock: a repeat carries its
     * first sending's time, however late it comes, and the node uses it for nothing else. A refusal to give once the
     * msgid has been looked up, so that an answered msgid still gets its first answer.
     */
    private static Optional<HisRefusal> sentAtRefusal(Input envelope) {
        try {
            if (envelope.optText("inf_time").isPresent()) {
                envelope.time("inf_time");
            }
            return Optional.empty();
        } catch (HisRefusal refused) {
            return Optional.of(refused);
        }
    }

    /** {@link #firstAnswer} of the call's msgid, read in a transaction of its own. */
    private Optional<byte[]> lookUp(Call call) {
        return deps.db().inTransaction("look up msgid " + call.msgid(),
                c -> firstAnswer(call, TreatmentStore.message(c, call.msgid())));
    }

    /**
     * The first answer to a msgid already answered ({@code stored}, its record in {@code his_message}), empty if it
     * was not; a refusal if the msgid was corrected (2601) or used for another request.
     */
    static Optional<byte[]> firstAnswer(Call call, Optional<Rows.Message> stored) {
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Rows.Message m = stored.get();
        if (m.correctedAt().isPresent()) {
            throw HisRefusal.field("msgid", call.msgid() + " was corrected (2601); send the request with a new msgid");
        }
        if (!m.hospital().equals(call.hospital().code()) || !m.bodySha256().equals(call.sha256())) {
            throw HisRefusal.field("msgid", call.msgid() + " was already used for a different request; every request "
                    + "needs its own msgid");
        }
        LOG.debug("HIS {} repeated msgid {}: first answer sent again", call.hospital().code(), call.msgid());
        return Optional.of(m.response());
    }
}
