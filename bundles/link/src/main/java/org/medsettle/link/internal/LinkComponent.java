package org.medsettle.link.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.CoverageRefusedException;
import org.medsettle.api.insured.InsuredPerson;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.insured.PersonQuery;
import org.medsettle.api.insured.UndoResult;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkState;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.link.OutboxEntry;
import org.medsettle.api.store.Transactor;
import org.medsettle.support.InFlight;
import org.medsettle.link.internal.wire.LinkClient;
import org.medsettle.link.internal.wire.Wire;
import org.medsettle.link.internal.wire.ReplayGuard;
import org.medsettle.link.internal.wire.WireEndpoint;
import org.medsettle.link.internal.wire.WireJson;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.HttpService;
import org.osgi.service.metatype.annotations.Designate;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's national link (Camel context {@code medsettle-link}):
 * <ul>
 *   <li>the remote insured place: look-ups, filing checks, applies and undos at other provinces' nodes, through the
 *       hub, synchronous with a timeout;</li>
 *   <li>route {@code link-inbound}: what the hub brings for this node's insured persons, answered by the node's own
 *       insured-place service;</li>
 *   <li>route {@code link-outbox}: the durable outbox, sent in order per receiver, retried with back-off;</li>
 *   <li>route {@code link-index}: new or changed insured persons to the hub's index (hashed keys only).</li>
 * </ul>
 * Only on a node ({@code role=node}). Messages go to the hub over mutual TLS: the node presents its link
 * certificate and accepts only the hub's pinned one ({@code MEDSETTLE_HUB_CERT}); messages from the hub are taken only
 * from a client presenting that same certificate.
 */
@Component(service = {InsuredPlace.class, NationalLink.class, HealthCheck.class}, property = "medsettle.insured=remote",
        configurationPid = "org.medsettle.link")
@Designate(ocd = LinkConfig.class)
public class LinkComponent implements InsuredPlace, NationalLink, HealthCheck {

    static final String CONTEXT = "medsettle-link";
    private static final Logger LOG = LoggerFactory.getLogger(LinkComponent.class);

    /** This node's own insured place, answering what the hub brings. */
    @Reference(target = "(medsettle.insured=local)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile InsuredPlace local;

    /**
     * Where the handlers of other bundles' messages (clearing, prepayments, assisted audits) are looked up, by type,
     * when a message comes: not a reference of this component, since those handlers use the link themselves (a
     * reference both ways would make each wait for the other at activation).
     */
    private final BundleContext context;

    private final InstanceIdentity identity;
    private final LinkCertificate certificate;
    private final Transactor db;
    private final HttpService http;
    private final LinkConfig config;
    /** The client of the hub, or null when no hub (or no valid pin, or no certificate) is configured. */
    private final LinkClient client;
    private final String clientProblem;
    /** The fingerprints of the hub's certificate this node accepts (empty: none set or not fingerprints). */
    private final java.util.Set<String> hubPins;
    private final OutboxStore outbox;
    /** Instances of one province on one database: one drains the outbox and publishes the index (issue 13). */
    static final String OUTBOX_LEASE = "link-outbox";
    static final String INDEX_LEASE = "link-index";
    private final org.medsettle.support.LeaseHolder outboxLease;
    private final org.medsettle.support.LeaseHolder indexLease;
    static final java.time.Duration LEASE_TIME = java.time.Duration.ofSeconds(15);
    /** Receivers answering that they do not know {@code NOTICES} (an earlier version): one notice per exchange. */
    private final Set<String> singleNotices = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Clock clock = Clock.systemUTC();
    private final ReplayGuard replays = new ReplayGuard(clock);
    private final WireEndpoint endpoint;
    /** In front of the hub: while it is open, exchanges fail at once instead of waiting for their time-outs. */
    private final LinkBreaker breaker;
    /** Messages from the hub being answered: drained before the link goes. */
    private final InFlight inbound = new InFlight();

    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError = "";

    @Activate
    public LinkComponent(BundleContext context, LinkConfig config,
                         @Reference(target = "(role~=node)") InstanceIdentity identity,
                         @Reference LinkCertificate certificate,
                         @Reference Transactor db, @Reference org.medsettle.api.store.Leases leases,
                         @Reference HttpService http,
                         @Reference(target = "(component=servlet)") ComponentResolver servletComponent,
                         @Reference(target = "(component=https)") ComponentResolver httpsComponent) throws Exception {
        this.context = context;
        this.identity = identity;
        this.certificate = certificate;
        this.db = db;
        this.http = http;
        this.config = config;
        this.hubPins = pins(config.hubCertificate());
        this.outbox = new OutboxStore(db);
        this.outboxLease = new org.medsettle.support.LeaseHolder(leases, OUTBOX_LEASE, LEASE_TIME, clock,
                "sends the outbox's notices", LOG::info, LOG::warn);
        this.indexLease = new org.medsettle.support.LeaseHolder(leases, INDEX_LEASE, LEASE_TIME, clock,
                "publishes the person index", LOG::info, LOG::warn);
        this.breaker = new LinkBreaker("the national hub", Duration.ofSeconds(Math.max(1, config.breakerOpenSeconds())),
                clock);
        endpoint = new WireEndpoint(context, http, CONTEXT, inbound, new RouteBuilder() {
            @Override
            public void configure() {
                from(WireEndpoint.inbound(CONTEXT)).routeId("link-inbound").noStreamCaching()
                        .process(WireEndpoint.admit(inbound))
                        .process(LinkComponent.this::inbound);
                from("timer:link-outbox?delay=1000&period=" + Math.max(50, config.outboxPeriodMillis()))
                        .routeId("link-outbox").process(e -> sendOutbox());
                from("timer:link-index?delay=2000&period=" + Math.max(1000, config.indexPeriodMillis()))
                        .routeId("link-index").process(e -> publishIndex());
                LinkClient.routes(this, breaker.bind(getContext().getRegistry()));
            }
        });
        LinkClient made = null;
        String problem = hubProblem();
        if (problem == null) {
            try {
                made = new LinkClient(endpoint.camel(), certificate, identity.admdvs(), identity.hubUrl().get(),
                        hubPins, "the national hub", config.timeoutMillis());
            } catch (LinkUnavailableException e) {
                problem = e.getMessage();
            }
        }
        this.client = made;
        this.clientProblem = problem;
        LOG.info("National link of {}: hub {}, hub certificate {}{}", identity.admdvs(),
                identity.hubUrl().map(URI::toString).orElse("NOT CONFIGURED (MEDSETTLE_HUB_URL)"),
                hubPins.isEmpty() ? "NOT SET (MEDSETTLE_HUB_CERT)" : String.join(", ", hubPins),
                problem == null ? "" : "; NOT RUNNING: " + problem);
    }

    /**
     * The fingerprints in {@code hubCertificate}: one, or several separated by commas (the hub's old and new
     * certificate while it is being replaced); empty if it is blank or any part is not a fingerprint.
     */
    static java.util.Set<String> pins(String text) {
        if (text == null || text.isBlank()) {
            return java.util.Set.of();
        }
        try {
            return java.util.Arrays.stream(text.split(",")).map(LinkCertificate::parseFingerprint)
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        } catch (IllegalArgumentException e) {
            return java.util.Set.of();
        }
    }

    @Override
    public String name() {
        return "link";
    }

    /**
     * Why this node cannot talk to its hub although one is configured, or null: the hub's address is not https, its
     * certificate's fingerprint is missing or is not one (say, an error message pasted into
     * {@code MEDSETTLE_HUB_CERT}), or this node has no usable link certificate.
     */
    private String hubProblem() {
        if (identity.hubUrl().isEmpty()) {
            return "no national hub is configured on this node (MEDSETTLE_HUB_URL)";
        }
        URI hub = identity.hubUrl().get();
        if (!"https".equalsIgnoreCase(hub.getScheme())) {
            return "MEDSETTLE_HUB_URL " + hub + " is not https: the link runs over mutual TLS, on the hub's link port "
                    + "(https://<hub>:<its MEDSETTLE_LINK_PORT>)";
        }
        if (config.hubCertificate().isBlank()) {
            return "the hub " + hub + " is configured but not its certificate: set MEDSETTLE_HUB_CERT (hubCertificate "
                    + "in etc/org.medsettle.link.cfg) to the fingerprint medsettle:link-certificate prints on the hub";
        }
        if (hubPins.isEmpty()) {
            return "MEDSETTLE_HUB_CERT (hubCertificate in etc/org.medsettle.link.cfg) is not a certificate fingerprint "
                    + "(64 hex digits, as medsettle:link-certificate prints it on the hub; several separated by commas "
                    + "while the hub's certificate is being replaced); every exchange would fail";
        }
        return certificate.problem().map(p -> "this node has no usable link certificate: " + p).orElse(null);
    }

    /**
     * FAIL when the hub is configured but the link cannot run (see {@link #hubProblem}): found at start-up, not at
     * the first patient. An unreachable hub is an outage, not a misconfiguration: OK, with the last failure and the
     * circuit breaker's state (OPEN: exchanges are refused at once for a while; another instance of the province
     * would not reach the hub either, so a load balancer should not take this one out for it).
     */
    @Override
    public HealthResult check() {
        if (identity.hubUrl().isEmpty()) {
            return HealthResult.ok("no national hub configured (MEDSETTLE_HUB_URL): this node settles only its own "
                    + "province's insured");
        }
        if (clientProblem != null) {
            return HealthResult.fail(clientProblem);
        }
        Instant failed = lastFailure;
        Instant answered = lastSuccess;
        String last = failed != null && (answered == null || failed.isAfter(answered))
                ? "; last exchange failed at " + failed + ": " + lastError
                : answered == null ? "; no exchange yet" : "; last answer at " + answered;
        return HealthResult.ok("hub " + identity.hubUrl().get() + ", certificate " + String.join(", ",
                hubPins.stream().map(LinkCertificate::shortForm).toList()) + " (mutual TLS)" + last
                + "; circuit breaker " + breaker.state());
    }

    /** The instance's meters (bundle medsettle-metrics): the outbox's depth and age, the exchanges with the hub. */
    private volatile io.micrometer.core.instrument.MeterRegistry meters;
    private final List<io.micrometer.core.instrument.Meter> outboxGauges = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void setMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        meters = registry;
        // read when scraped: the outbox's pending rows by their index (sent_at, seq)
        outboxGauges.add(io.micrometer.core.instrument.Gauge.builder("medsettle.link.outbox.messages", outbox,
                        o -> o.pendingCount()).description("notices in the outbox not sent yet").register(registry));
        outboxGauges.add(io.micrometer.core.instrument.Gauge.builder("medsettle.link.outbox.oldest.age", outbox,
                        o -> o.oldestPending().map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                                .orElse(0.0))
                .baseUnit("seconds").description("age of the oldest notice not sent yet (0: none)").register(registry));
    }

    void unsetMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        if (meters == registry) {
            meters = null;
        }
        outboxGauges.forEach(registry::remove);
        outboxGauges.clear();
    }

    /** An exchange with the hub about {@code to}: counted by message type, counterpart and outcome, and timed. */
    private void measure(String type, Admdvs to, String outcome, long startNanos) {
        io.micrometer.core.instrument.MeterRegistry registry = meters;
        if (registry == null) {
            return;
        }
        io.micrometer.core.instrument.Counter.builder("medsettle.link.exchanges")
                .description("exchanges through the hub, by message type, counterpart province and outcome "
                        + "(ok, refused: answered no, unavailable: the hub or the counterpart not reached)")
                .tags("type", type, "counterpart", to.code(), "outcome", outcome).register(registry).increment();
        org.medsettle.support.metrics.Latency.record(registry, "medsettle.link.exchange",
                "time of an exchange through the hub, by message type", System.nanoTime() - startNanos, "type", type);
    }

    @Deactivate
    void deactivate() {
        endpoint.close();
        outboxLease.release();
        indexLease.release();
    }

    // ---- sending

    private LinkClient hub() {
        if (client == null) {
            // no client (no certificate, no hub configured): nothing was sent
            throw new LinkUnavailableException(clientProblem, null, true);
        }
        return client;
    }

    /**
     * One exchange through the hub. While the hub or the receiving node is being updated (answer "unprocessed"), the
     * message is sent again, afresh, for up to {@code updateGraceMillis}.
     */
    private JsonNode ask(String type, Admdvs to, JsonNode body, String msgId) {
        long start = System.nanoTime();
        try {
            LinkClient hub = hub();
            JsonNode answer = hub.exchange(() -> Wire.message(msgId, type, identity.admdvs(), to, body),
                    "the national hub at " + hub.base(), Duration.ofMillis(config.updateGraceMillis()));
            lastSuccess = clock.instant();
            measure(type, to, "ok", start);
            return answer;
        } catch (LinkUnavailableException e) {
            lastFailure = clock.instant();
            lastError = e.getMessage();
            measure(type, to, "unavailable", start);
            throw e;
        } catch (LinkClient.Refused e) {
            lastSuccess = clock.instant();
            measure(type, to, "refused", start);
            throw e;
        }
    }

    private JsonNode ask(String type, Admdvs to, JsonNode body) {
        return ask(type, to, body, Wire.newMsgId(identity.admdvs()));
    }

    @Override
    public Optional<InsuredPerson> person(PersonQuery query) {
        Admdvs to = query.insuredPlace().map(Admdvs::province).orElse(Wire.NATIONAL);
        try {
            return LinkMessages.read(ask("PERSON_LOOKUP", to, LinkMessages.tree(LinkMessages.PersonQueryMessage.of(query))),
                    LinkMessages.InsuredPersonMessage.class).insuredPerson();
        } catch (LinkClient.Refused e) {
            return Optional.empty();
        }
    }

    @Override
    public Coverage coverage(CoverageQuery query) {
        try {
            return LinkMessages.read(ask("COVERAGE", query.insuredPlace().province(),
                    LinkMessages.tree(LinkMessages.CoverageQueryMessage.of(query))), LinkMessages.CoverageMessage.class)
                    .coverage();
        } catch (LinkClient.Refused e) {
            throw new CoverageRefusedException(e.getMessage());
        }
    }

    @Override
    public ApplyResult apply(ApplyRequest request) {
        try {
            return LinkMessages.read(ask("APPLY", request.insuredPlace().province(),
                    LinkMessages.tree(LinkMessages.ApplyMessage.of(request))), LinkMessages.ApplyResultMessage.class)
                    .result();
        } catch (LinkClient.Refused e) {
            return ApplyResult.refused(e.getMessage());
        }
    }

    @Override
    public void confirm(Admdvs insured, String setlId) {
        enqueue(new HubMessage("CONFIRM-" + setlId, "CONFIRM", identity.admdvs(), insured.province(),
                LinkMessages.tree(new LinkMessages.ConfirmMessage(setlId)).toString()));
    }

    @Override
    public UndoResult undo(Admdvs insured, String setlId, String undoId) {
        try {
            return LinkMessages.read(ask("UNDO", insured.province(),
                    LinkMessages.tree(new LinkMessages.UndoMessage(setlId, undoId))),
                    LinkMessages.UndoResultMessage.class).result();
        } catch (LinkClient.Refused e) {
            throw new CoverageRefusedException(e.getMessage());
        }
    }

    @Override
    public HubMessage request(HubMessage question, Duration timeout) {
        JsonNode answer = ask(question.type(), question.to(), WireJson.parse(question.body().getBytes(StandardCharsets.UTF_8)),
                question.msgId());
        return new HubMessage(question.msgId(), question.type(), question.to(), question.from(), answer.toString());
    }

    @Override
    public void enqueue(HubMessage notice) {
        outbox.enqueue(notice, clock.instant());
    }

    @Override
    public void enqueue(java.sql.Connection transaction, HubMessage notice) throws java.sql.SQLException {
        OutboxStore.write(transaction, notice, clock.instant());
    }

    @Override
    public LinkState state() {
        return new LinkState(identity.hubUrl(), hubPins.isEmpty() ? "not set" : String.join(", ", hubPins),
                Optional.ofNullable(lastSuccess), Optional.ofNullable(lastFailure), lastError, outbox.pendingCount(),
                outbox.oldestPending(), client == null ? "none (no hub)" : breaker.state());
    }

    @Override
    public List<OutboxEntry> outbox(int limit, boolean pendingOnly) {
        return outbox.entries(limit, pendingOnly);
    }

    /**
     * Sends due notices in order; a receiver that fails holds back its later notices (order is kept per receiver).
     * A receiver's due notices go up to {@value #NOTICES_PER_EXCHANGE} to an exchange ({@code NOTICES}): one hub hop,
     * one MAC and one commit on each side for up to a hundred notices.
     */
    void sendOutbox() {
        if (client == null || !outboxLease.holds()) {
            return;
        }
        Instant now = clock.instant();
        Set<String> blocked = new HashSet<>();
        Map<String, List<OutboxStore.Pending>> due = new LinkedHashMap<>();
        for (OutboxStore.Pending p : outbox.pending(OUTBOX_READ)) {
            String to = p.message().to().code();
            if (blocked.contains(to)) {
                continue;
            }
            if (p.nextAttempt().isAfter(now)) {
                blocked.add(to);
                continue;
            }
            due.computeIfAbsent(to, k -> new ArrayList<>()).add(p);
        }
        for (List<OutboxStore.Pending> notices : due.values()) {
            for (int from = 0; from < notices.size(); from += NOTICES_PER_EXCHANGE) {
                if (!deliver(notices.subList(from, Math.min(notices.size(), from + NOTICES_PER_EXCHANGE)))) {
                    break;
                }
            }
        }
    }

    static final int NOTICES_PER_EXCHANGE = 100;
    static final int OUTBOX_READ = 500;
    static final String NOTICES = "NOTICES";

    /** Notices of one receiver, in order, in one exchange; false if the receiver could not be reached. */
    private boolean deliver(List<OutboxStore.Pending> notices) {
        Admdvs to = notices.get(0).message().to();
        if (notices.size() == 1 || singleNotices.contains(to.code())) {
            return deliverOneByOne(notices);
        }
        JsonNode body = LinkMessages.tree(new LinkMessages.NoticesMessage(notices.stream()
                .map(p -> new LinkMessages.Notice(p.message().msgId(), p.message().type(),
                        WireJson.parse(p.message().body().getBytes(StandardCharsets.UTF_8))))
                .toList()));
        try {
            JsonNode answer = ask(NOTICES, to, body);
            LinkMessages.NoticesAnswer taken = LinkMessages.read(answer, LinkMessages.NoticesAnswer.class);
            for (LinkMessages.RefusedNotice r : taken.refused() == null ? List.<LinkMessages.RefusedNotice>of()
                    : taken.refused()) {
                LOG.warn("Notice {} to {} refused by the receiver: {}", r.msgId(), to, r.reason());
            }
            outbox.sent(notices, clock.instant());
            return true;
        } catch (LinkClient.Refused e) {
            LOG.warn("{} notices to {} refused together ({}); sending them one by one", notices.size(), to, e.getMessage());
            return deliverOneByOne(notices);
        } catch (LinkUnavailableException e) {
            if (String.valueOf(e.getMessage()).contains("unknown message type " + NOTICES)) {
                // a receiver of an earlier version (during an upgrade): one exchange per notice, as it knows
                singleNotices.add(to.code());
                LOG.info("The node of {} does not take notices together yet; they go one by one until this node restarts",
                        to);
                return deliverOneByOne(notices);
            }
            outbox.failed(notices, e.getMessage(), clock.instant());
            OutboxStore.Pending first = notices.get(0);
            if (first.attempts() == 0 || first.attempts() % 10 == 0) {
                LOG.warn("{} notices to {} not delivered (attempt {}): {}; they wait in the outbox", notices.size(), to,
                        first.attempts() + 1, e.getMessage());
            }
            return false;
        }
    }

    private boolean deliverOneByOne(List<OutboxStore.Pending> notices) {
        for (OutboxStore.Pending p : notices) {
            String to = p.message().to().code();
            try {
                ask(p.message().type(), p.message().to(), WireJson.parse(p.message().body().getBytes(StandardCharsets.UTF_8)),
                        p.message().msgId());
                outbox.sent(List.of(p), clock.instant());
            } catch (LinkClient.Refused e) {
                LOG.warn("Notice {} ({}) to {} refused by the receiver: {}", p.message().msgId(), p.message().type(), to,
                        e.getMessage());
                outbox.sent(List.of(p), clock.instant());
            } catch (LinkUnavailableException e) {
                outbox.failed(List.of(p), e.getMessage(), clock.instant());
                if (p.attempts() == 0 || p.attempts() % 10 == 0) {
                    LOG.warn("Notice {} to {} not delivered (attempt {}): {}; it waits in the outbox", p.message().msgId(),
                            to, p.attempts() + 1, e.getMessage());
                }
                return false;
            }
        }
        return true;
    }

    /** Sends the keys of persons added or changed since the last time to the hub's index. */
    void publishIndex() {
        if (client == null || !indexLease.holds()) {
            return;
        }
        String since = db.inTransaction("read the index watermark", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM link_state WHERE name = 'index.watermark'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        record Key(String psnNo, String certno, Timestamp updated) {
        }
        List<Key> changed = db.inTransaction("read changed persons", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT psn_no, certno, updated_at FROM person"
                    + (since == null ? "" : " WHERE updated_at > ?") + " ORDER BY updated_at")) {
                if (since != null) {
                    ps.setTimestamp(1, Timestamp.valueOf(since));
                }
                List<Key> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new Key(rs.getString(1), rs.getString(2), rs.getTimestamp(3)));
                    }
                }
                return keys;
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        try {
            for (int from = 0; from < changed.size(); from += 2000) {
                List<String> keys = new ArrayList<>();
                for (Key k : changed.subList(from, Math.min(changed.size(), from + 2000))) {
                    keys.add(Wire.indexKey("psn", k.psnNo()));
                    keys.add(Wire.indexKey("cert", k.certno()));
                }
                ask("INDEX", Wire.NATIONAL, LinkMessages.tree(new LinkMessages.IndexMessage(keys)));
            }
        } catch (LinkUnavailableException | LinkClient.Refused e) {
            LOG.info("Person index not sent to the hub now ({}); next try in {} ms", e.getMessage(), config.indexPeriodMillis());
            return;
        }
        String watermark = changed.get(changed.size() - 1).updated().toString();
        db.inTransaction("write the index watermark", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE link_state SET value = ? WHERE name = 'index.watermark'")) {
                ps.setString(1, watermark);
                if (ps.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO link_state (name, value) VALUES ('index.watermark', ?)")) {
                        insert.setString(1, watermark);
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
        LOG.info("{} insured persons sent to the hub's index", changed.size());
    }

    // ---- receiving

    void inbound(Exchange exchange) throws IOException {
        WireEndpoint.Inbound in = WireEndpoint.receive(exchange, hubPins::contains,
                "MEDSETTLE_HUB_CERT (the hub's certificate this node pins)", clock);
        if (in.refused()) {
            LOG.warn("Link message refused: {} (from {}, address {}); only the national hub this node pins may send here",
                    in.refusal(), in.from().isEmpty() ? "no sender named" : in.from(), remote(exchange));
            reply(exchange, in.status(), Wire.refused(in.refusal()));
            return;
        }
        Wire.Received m;
        try {
            m = Wire.read(in.body());
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, Wire.refused(e.getMessage()));
            return;
        }
        String replay = replays.refusal(in.from(), m);
        if (replay != null) {
            LOG.warn("Link message {} ({}) from {} refused: {}", m.msgId(), m.type(), in.from(), replay);
            reply(exchange, 401, Wire.refused(replay));
            return;
        }
        if (m.type().startsWith("CLEARING_")) {
            hubOwn(exchange, m);
            return;
        }
        if (handledNotice(m.type())) {
            try {
                List<LinkMessages.RefusedNotice> refused = new ArrayList<>();
                handled(m, m.msgId(), m.type(), m.body(), refused);
                reply(exchange, refused.isEmpty() ? 200 : 400, refused.isEmpty() ? Wire.ok(WireJson.object())
                        : Wire.refused(refused.get(0).reason()));
            } catch (NotNow e) {
                notNow(exchange, e);
            }
            return;
        }
        InsuredPlace place = local;
        if (place == null) {
            // its bundle is being updated (or is stopped): not looked at, so the sender may send it again — the same
            // answer as a link that is going, and the sender's redelivery does the waiting
            reply(exchange, 503, Wire.refused("the insured-place service of " + identity.admdvs() + " is not "
                    + "running; nothing was done"));
            Wire.notLookedAt(exchange.getMessage());
            return;
        }
        try {
            JsonNode answer = switch (m.type()) {
                case "PERSON_LOOKUP" -> LinkMessages.tree(LinkMessages.InsuredPersonMessage.of(place.person(
                        LinkMessages.read(m.body(), LinkMessages.PersonQueryMessage.class).query())));
                case "COVERAGE" -> {
                    CoverageQuery query = LinkMessages.read(m.body(), LinkMessages.CoverageQueryMessage.class).query();
                    // an emergency's coverage records an EMERGENCY filing for the treatment place: the sender's own
                    ownTreatmentPlace(m.from(), query.treatmentPlace());
                    yield LinkMessages.tree(LinkMessages.CoverageMessage.of(place.coverage(query)));
                }
                case "APPLY" -> {
                    ApplyRequest apply = LinkMessages.read(m.body(), LinkMessages.ApplyMessage.class).request();
                    ownSettlement(m.from(), apply.treatmentPlace(), apply.setlId());
                    yield LinkMessages.tree(LinkMessages.ApplyResultMessage.of(place.apply(apply)));
                }
                case "UNDO" -> {
                    LinkMessages.UndoMessage undo = LinkMessages.read(m.body(), LinkMessages.UndoMessage.class);
                    ownSettlement(m.from(), undo.setlId() == null ? "" : undo.setlId());
                    yield LinkMessages.tree(LinkMessages.UndoResultMessage.of(place.undo(identity.admdvs(),
                            undo.setlId() == null ? "" : undo.setlId(), undo.undoId() == null ? "" : undo.undoId())));
                }
                case "CONFIRM" -> {
                    notice(place, m);
                    yield WireJson.object();
                }
                case NOTICES -> notices(place, m);
                default -> throw new IllegalArgumentException("unknown message type " + m.type());
            };
            reply(exchange, 200, Wire.ok(answer));
        } catch (NotNow e) {
            notNow(exchange, e);
        } catch (CoverageRefusedException e) {
            reply(exchange, 200, Wire.refused(e.getMessage()));
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, Wire.refused(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Link message {} ({}) from {} failed", m.msgId(), m.type(), m.from(), e);
            reply(exchange, 500, Wire.refused("the insured node failed: " + e.getClass().getSimpleName()));
        }
    }

    /**
     * A message of the hub's own (the monthly clearing): only from the hub itself, answered by the handler of its
     * type; without one (its bundle being updated) not looked at, so that the hub sends it again.
     */
    private void hubOwn(Exchange exchange, Wire.Received m) {
        if (!m.from().equals(Wire.NATIONAL)) {
            LOG.warn("Link message {} ({}) refused: it says it is from {}, and only the hub sends it", m.msgId(),
                    m.type(), m.from());
            reply(exchange, 403, Wire.refused("only the national hub sends " + m.type()));
            return;
        }
        try {
            java.util.Optional<String> answer = handle(new org.medsettle.api.link.HubMessage(m.msgId(), m.type(),
                    m.from(), m.to(), m.body().toString()));
            if (answer.isEmpty()) {
                reply(exchange, 503, Wire.refused("nothing on " + identity.admdvs() + " answers " + m.type()
                        + " now (the clearing bundle is not running); nothing was done"));
                Wire.notLookedAt(exchange.getMessage());
                return;
            }
            reply(exchange, 200, Wire.ok(WireJson.parse(answer.get().getBytes(StandardCharsets.UTF_8))));
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, Wire.refused(e.getMessage()));
        } catch (IllegalStateException e) {
            reply(exchange, 200, Wire.refused(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Link message {} ({}) from the hub failed", m.msgId(), m.type(), e);
            reply(exchange, 500, Wire.refused("the node failed on " + m.type() + ": " + e.getClass().getSimpleName()));
        }
    }

    /**
     * A notice (CONFIRM): recorded as received, then the settlement confirmed. Confirming is idempotent (only an
     * APPLIED settlement becomes CONFIRMED), so a repeat — also of a notice whose first confirmation failed after it
     * was recorded — changes nothing or finishes what was left.
     */
    private void notice(InsuredPlace place, Wire.Received m) {
        if (!"CONFIRM".equals(m.type())) {
            throw new IllegalArgumentException("not a notice: " + m.type());
        }
        String setlId = LinkMessages.read(m.body(), LinkMessages.ConfirmMessage.class).setlId();
        ownSettlement(m.from(), setlId == null ? "" : setlId);
        firstTimes(List.of(m));
        place.confirm(identity.admdvs(), setlId);
    }

    /**
     * A node speaks only for its own province's settlements (the hub checked who sent the message): an apply, a
     * confirmation or an undo of another province's settlement — whose money that province's clearing would
     * carry — is refused. Every node's {@code setl_id} begins with its province's code (e.g. {@code 330000…}), so
     * the id says whose a settlement is even before the insured node has it (an undo of one it never got leaves a
     * marker there that refuses a later apply: only its own province may leave that).
     */
    static void ownSettlement(Admdvs sender, String setlId) {
        ownSettlement(sender, null, setlId);
    }

    /** A node asks and applies only for its own province's hospitals ({@code mdtrtarea_admvs}). */
    static void ownTreatmentPlace(Admdvs sender, Admdvs treatmentPlace) {
        if (!treatmentPlace.sameProvinceAs(sender)) {
            throw new IllegalArgumentException("mdtrtarea_admvs " + treatmentPlace + " is not in the province of the "
                    + "sender " + sender + ": a node asks and applies only for its own province's hospitals; "
                    + "nothing was done");
        }
    }

    /** As {@link #ownSettlement(Admdvs, String)}, and an apply's treatment place ({@code mdtrtarea_admvs}) too. */
    static void ownSettlement(Admdvs sender, Admdvs treatmentPlace, String setlId) {
        if (treatmentPlace != null) {
            ownTreatmentPlace(sender, treatmentPlace);
        }
        if (!setlId.startsWith(sender.province().code())) {
            throw new IllegalArgumentException("setl_id " + setlId + " is not a settlement of " + sender.province()
                    + ", the sender's province (its settlements' ids begin with " + sender.province().code()
                    + "): a node applies, confirms and undoes only its own; nothing was done");
        }
    }

    /**
     * {@code NOTICES}: a sender's notices — those not received before recorded in one transaction, then every
     * settlement named confirmed in another (idempotent, as for one {@link #notice}); anything that is not a notice
     * this node takes is named in the answer.
     */
    private JsonNode notices(InsuredPlace place, Wire.Received m) {
        List<LinkMessages.RefusedNotice> refused = new ArrayList<>();
        List<Wire.Received> confirms = new ArrayList<>();
        LinkMessages.NoticesMessage batch = LinkMessages.read(m.body(), LinkMessages.NoticesMessage.class);
        for (LinkMessages.Notice n : batch.notices() == null ? List.<LinkMessages.Notice>of() : batch.notices()) {
            String msgId = n.msgId() == null ? "" : n.msgId();
            JsonNode body = n.body() == null ? WireJson.object() : n.body();
            Wire.Received one = new Wire.Received(msgId, String.valueOf(n.type()), m.from(), m.to(), body);
            if (handledNotice(n.type()) && !msgId.isBlank()) {
                handled(m, msgId, n.type(), body, refused);
                continue;
            }
            if (msgId.isBlank() || !"CONFIRM".equals(n.type()) || body.path("setl_id").asText().isBlank()) {
                refused.add(new LinkMessages.RefusedNotice(msgId, "not a notice this node takes: " + n.type()
                        + (msgId.isBlank() ? " without msg_id" : "")));
                continue;
            }
            try {
                ownSettlement(m.from(), body.path("setl_id").asText());
            } catch (IllegalArgumentException e) {
                refused.add(new LinkMessages.RefusedNotice(msgId, e.getMessage()));
                continue;
            }
            confirms.add(one);
        }
        int fresh = firstTimes(confirms).size();
        place.confirm(identity.admdvs(), confirms.stream()
                .map(r -> LinkMessages.read(r.body(), LinkMessages.ConfirmMessage.class).setlId()).toList());
        return LinkMessages.tree(new LinkMessages.NoticesAnswer(refused, fresh, confirms.size() - fresh));
    }

    /**
     * Notices between nodes that other bundles take (prepayments, assisted audits, review cases of provisional
     * settlements), by the prefix of their type: each
     * handler takes a notice once by its own id, so a repeat is harmless.
     */
    static final List<String> HANDLED_NOTICES = List.of("PREPAYMENT_", "ASSISTED_AUDIT_", "PROVISIONAL_", "TOP_UP");

    static boolean handledNotice(String type) {
        return type != null && HANDLED_NOTICES.stream().anyMatch(type::startsWith);
    }

    /** The handler of a notice's type is not there now (its bundle is being updated): the sender sends again later. */
    private static final class NotNow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotNow(String message) {
            super(message, null, false, false);
        }
    }

    private void notNow(Exchange exchange, NotNow e) {
        reply(exchange, 503, Wire.refused(e.getMessage()));
        Wire.notLookedAt(exchange.getMessage());
    }

    /** A notice another bundle handles; refused (dropped by the sender) if its handler does not take it. */
    private void handled(Wire.Received m, String msgId, String type, JsonNode body,
                         List<LinkMessages.RefusedNotice> refused) {
        try {
            if (handle(new org.medsettle.api.link.HubMessage(msgId, type, m.from(), m.to(), body.toString())).isEmpty()) {
                throw new NotNow("nothing on " + identity.admdvs() + " takes " + type + " notices now (its bundle is "
                        + "not running); nothing was done");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warn("Notice {} ({}) from {} refused: {}", msgId, type, m.from(), e.getMessage());
            refused.add(new LinkMessages.RefusedNotice(msgId, e.getMessage()));
        }
    }

    /** The answer of the handler registered for the message's type, or empty if there is none now. */
    private java.util.Optional<String> handle(org.medsettle.api.link.HubMessage message) {
        java.util.Collection<org.osgi.framework.ServiceReference<org.medsettle.api.link.LinkRequestHandler>> refs;
        try {
            refs = context.getServiceReferences(org.medsettle.api.link.LinkRequestHandler.class,
                    "(" + org.medsettle.api.link.LinkRequestHandler.TYPES + "=" + message.type() + ")");
        } catch (org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            return java.util.Optional.empty();
        }
        for (org.osgi.framework.ServiceReference<org.medsettle.api.link.LinkRequestHandler> ref : refs) {
            org.medsettle.api.link.LinkRequestHandler handler = context.getService(ref);
            if (handler == null) {
                continue;
            }
            try {
                return java.util.Optional.of(handler.answer(message));
            } finally {
                context.ungetService(ref);
            }
        }
        return java.util.Optional.empty();
    }

    /** Records notices as received (`link_inbox`), in one transaction; answers those not received before. */
    private List<Wire.Received> firstTimes(List<Wire.Received> notices) {
        if (notices.isEmpty()) {
            return List.of();
        }
        return db.inTransaction("record " + notices.size() + " notices", c -> {
            List<Wire.Received> fresh = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            try (PreparedStatement find = c.prepareStatement("SELECT 1 FROM link_inbox WHERE msg_id = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO link_inbox (msg_id, from_admdvs, msg_type, received_at) VALUES (?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(clock.instant());
                for (Wire.Received m : notices) {
                    if (!seen.add(m.msgId())) {
                        continue;
                    }
                    find.setString(1, m.msgId());
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                    insert.setString(1, m.msgId());
                    insert.setString(2, m.from().code());
                    insert.setString(3, m.type());
                    insert.setTimestamp(4, now);
                    insert.addBatch();
                    fresh.add(m);
                }
                if (!fresh.isEmpty()) {
                    insert.executeBatch();
                }
            }
            return fresh;
        });
    }

    private void reply(Exchange exchange, int status, byte[] body) {
        WireEndpoint.reply(exchange, status, body, identity.admdvs());
    }

    private static String remote(Exchange exchange) {
        org.apache.camel.http.common.HttpMessage http = exchange.getIn(org.apache.camel.http.common.HttpMessage.class);
        return http == null ? "unknown" : http.getRequest().getRemoteAddr();
    }
}
