package org.medsettle.hub.internal;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.medsettle.api.Admdvs;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.medsettle.support.InFlight;
import org.medsettle.link.internal.wire.LinkClient;
import org.medsettle.link.internal.wire.ReplayGuard;
import org.medsettle.link.internal.wire.Wire;
import org.medsettle.link.internal.wire.WireEndpoint;
import org.medsettle.link.internal.wire.WireJson;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.HttpService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The national hub (国家平台), only on an instance started with {@code MEDSETTLE_ROLE=hub}: route {@code hub-router}
 * in Camel context {@code medsettle-hub} takes messages over mutual TLS from the nodes of its directory — the client
 * certificate must be the one registered for a node, and the message must name that node as its sender — and passes
 * each to the node of the province it is for, over mutual TLS again (the hub presents its certificate and accepts
 * only the receiving node's registered one); the node's answer goes back to the sender. Person look-ups without an insured
 * province are resolved through the national index of insured persons, which holds hashed keys only.
 */
@Component(service = {HubDirectory.class, org.medsettle.api.maintenance.MaintenanceNotices.class,
        org.medsettle.api.policy.PolicyDistribution.class}, configurationPid = "org.medsettle.hub")
@Designate(ocd = HubConfig.class)
public class HubComponent implements HubDirectory, org.medsettle.api.maintenance.MaintenanceNotices,
        org.medsettle.api.policy.PolicyDistribution {

    static final String CONTEXT = "medsettle-hub";
    private static final Logger LOG = LoggerFactory.getLogger(HubComponent.class);

    private final InstanceIdentity identity;
    private final LinkCertificate certificate;
    private final Transactor db;
    private final AuditLog audit;
    private final HttpService http;
    private final HubConfig config;
    /** A client per node, pinned to its certificate; made again when its address or certificate changes. */
    private final Map<String, LinkClient> clients = new ConcurrentHashMap<>();
    /** The same for the hub's own (clearing) messages, which may take minutes. */
    private final Map<String, LinkClient> clearingClients = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final ReplayGuard replays = new ReplayGuard(clock);
    private final WireEndpoint endpoint;
    /** The maintenance windows (停机公告) the nodes announce and read. */
    private final HubMaintenance maintenance;
    /** The policy versions the nodes publish, fetch and report on (policy distribution). */
    private final HubPolicies policies;
    /** Messages being routed: drained before the hub goes. */
    private final InFlight inFlight = new InFlight();
    private final Map<String, Counter> traffic = new ConcurrentHashMap<>();
    /** The directory as last read: replaced whole, never changed in place (a reader never sees it half read). */
    private volatile Map<String, Node> directory = Map.of();
    /** The directory by certificate fingerprint: who a TLS client is. */
    private volatile Map<String, Node> byCertificate = Map.of();

    private static final class Counter {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong millis = new AtomicLong();
        volatile String lastError = "";
    }

    @Activate
    public HubComponent(BundleContext context, HubConfig config,
                        @Reference(target = "(role~=hub)") InstanceIdentity identity,
                        @Reference LinkCertificate certificate,
                        @Reference(target = "(owner=medsettle-hub)") SchemaReady schema,
                        @Reference Transactor db, @Reference AuditLog audit, @Reference HttpService http,
                         @Reference(target = "(component=servlet)") ComponentResolver servletComponent,
                         @Reference(target = "(component=https)") ComponentResolver httpsComponent) throws Exception {
        this.identity = identity;
        this.certificate = certificate;
        this.db = db;
        this.audit = audit;
        this.http = http;
        this.config = config;
        this.maintenance = new HubMaintenance(db, audit, clock);
        this.policies = new HubPolicies(db, audit, clock);
        reloadDirectory();
        endpoint = new WireEndpoint(context, http, CONTEXT, inFlight, new RouteBuilder() {
            @Override
            public void configure() {
                // a message from a node: admitted (drain gate), checked and addressed (decide: the hub's own
                // answers end here), forwarded to the node of the province it is for (route link-post: https to
                // that node, its certificate pinned), its answer passed back; what went wrong answered by kind
                from(WireEndpoint.inbound(CONTEXT)).routeId("hub-router").noStreamCaching()
                        .onException(LinkClient.Refused.class).handled(true)
                            .process(e -> forwarded(e, 200, Wire.refused(e.getProperty(Exchange.EXCEPTION_CAUGHT,
                                    Exception.class).getMessage()), null))
                        .end()
                        .onException(LinkClient.Unprocessed.class).handled(true)
                            // the receiving node is being updated and did not look at the message: its sender sends
                            // it again
                            .process(e -> {
                                LinkClient.Unprocessed failure = e.getProperty(Exchange.EXCEPTION_CAUGHT,
                                        LinkClient.Unprocessed.class);
                                forwarded(e, 503, Wire.refused(failure.getMessage()), failure.getMessage());
                                e.getMessage().setHeader(Wire.UNPROCESSED_HEADER, "true");
                                // and whether nobody acted on it (a connection closed before any answer: not certain)
                                Wire.undelivered(e.getMessage(), failure.undelivered());
                            })
                        .end()
                        .onException(LinkUnavailableException.class).handled(true)
                            .process(e -> {
                                LinkUnavailableException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT,
                                        LinkUnavailableException.class);
                                forwarded(e, 502, Wire.refused(failure.getMessage()), failure.getMessage());
                                // the receiving node certainly not reached (nothing listening there): its sender may
                                // take the change as not made; after a time-out it may not
                                Wire.undelivered(e.getMessage(), failure.undelivered());
                            })
                        .end()
                        .onException(Exception.class).handled(true)
                            .process(e -> {
                                Exception failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                                LOG.error("Hub failed on a link message", failure);
                                reply(e, 500, Wire.refused("the hub failed: " + failure.getClass().getSimpleName()));
                            })
                        .end()
                        .process(WireEndpoint.admit(inFlight))
                        .process(HubComponent.this::decide)
                        .to(LinkClient.POST)
                        // the receiving node's answer as it came (checked by link-post), not encoded again
                        .process(e -> forwarded(e, 200, e.getProperty(LinkClient.ANSWER_BYTES, byte[].class), null));
                LinkClient.postRoute(this);
                // several hub instances on one database: each reads the directory again now and then, so that a
                // node taken out or given a new address or certificate at one is refused or routed alike at all
                from("timer:hub-directory?delay=" + refreshMillis(config) + "&period=" + refreshMillis(config))
                        .routeId("hub-directory")
                        .onException(Exception.class).handled(true)
                            .log(org.apache.camel.LoggingLevel.WARN, LOG, "The hub's directory could not be read "
                                    + "again (${exception.message}): the last one read is used, tried again in "
                                    + refreshMillis(config) / 1000 + " s")
                        .end()
                        .process(e -> followDirectory());
            }
        });
        LOG.info("National hub at {} (mutual TLS on the link port): {} node(s) in the directory, hub certificate {}",
                Wire.PATH, directory.size(), certificate.problem().orElseGet(certificate::fingerprint));
    }

    @Deactivate
    void deactivate() {
        endpoint.close();
    }

    // ---- directory

    private synchronized void reloadDirectory() {
        List<Node> nodes = db.inTransaction("read the hub directory", c -> {
            List<Node> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT admdvs, url, cert_sha256, updated_at FROM hub_node "
                    + "ORDER BY admdvs"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String certificate = rs.getString(3);
                    list.add(new Node(Admdvs.of(rs.getString(1)), URI.create(rs.getString(2)),
                            certificate == null ? null : certificate.strip(),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return list;
        });
        Map<String, Node> read = new java.util.HashMap<>();
        nodes.forEach(n -> read.put(n.admdvs().code(), n));
        directory = Map.copyOf(read);
        Map<String, Node> certificates = new java.util.HashMap<>();
        nodes.stream().filter(n -> n.certificate() != null).forEach(n -> certificates.put(n.certificate(), n));
        byCertificate = Map.copyOf(certificates);
    }

    private static long refreshMillis(HubConfig config) {
        return Math.max(1, config.directoryRefreshSeconds()) * 1000L;
    }

    /**
     * Route {@code hub-directory}: the directory read again; what another instance (or a command at this one) changed
     * is logged, and the clients of nodes taken out are dropped.
     */
    void followDirectory() {
        Map<String, Node> before = directory;
        reloadDirectory();
        Map<String, Node> after = directory;
        if (before.equals(after)) {
            return;
        }
        List<String> changes = directoryChanges(before, after);
        for (String gone : before.keySet()) {
            if (!after.containsKey(gone)) {
                clients.remove(gone);
                clearingClients.remove(gone);
            }
        }
        LOG.info("Hub directory read again: {}", String.join("; ", changes));
    }

    /** What differs between two readings of the directory, a line per province, for the log. */
    static List<String> directoryChanges(Map<String, Node> before, Map<String, Node> after) {
        List<String> changes = new ArrayList<>();
        java.util.SortedSet<String> provinces = new java.util.TreeSet<>(before.keySet());
        provinces.addAll(after.keySet());
        for (String p : provinces) {
            Node was = before.get(p);
            Node is = after.get(p);
            if (was == null) {
                changes.add(p + " added at " + is.url() + " (certificate " + is.certificate() + ")");
            } else if (is == null) {
                changes.add(p + " taken out: its requests are refused from now on");
            } else if (!was.equals(is)) {
                changes.add(p + " now at " + is.url() + " (certificate " + is.certificate() + ")"
                        + (java.util.Objects.equals(was.certificate(), is.certificate()) ? "" : ", was " + was.certificate()));
            }
        }
        return changes;
    }

    @Override
    public List<Node> nodes() {
        reloadDirectory();
        return directory.values().stream().sorted((a, b) -> a.admdvs().compareTo(b.admdvs())).toList();
    }

    /** What a node may serve: a province of the mainland, by its province-level code (330000, not 330100 or 990000). */
    static void requireProvince(Admdvs admdvs) {
        if (!admdvs.isProvince()) {
            throw new IllegalArgumentException("a node serves a province: " + admdvs + " is not a province code");
        }
        if (!admdvs.inRealProvince()) {
            throw new IllegalArgumentException("a node serves a province: " + admdvs + " is no province of the "
                    + "mainland (GB/T 2260: 110000–150000, 210000–230000, 310000–370000, 410000–460000, 500000–540000, "
                    + "610000–660000)");
        }
    }

    @Override
    public Node register(Admdvs admdvs, URI url, String certificateText, Actor actor) {
        requireProvince(admdvs);
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("the node's address must be the https URL of its link port "
                    + "(https://<node>:<its MEDSETTLE_LINK_PORT>): the link runs over mutual TLS; not " + url);
        }
        String fingerprint = LinkCertificate.parseFingerprint(certificateText);
        Node holder = byCertificate.get(fingerprint);
        if (holder != null && !holder.admdvs().equals(admdvs)) {
            throw new IllegalArgumentException("that certificate is registered for " + holder.admdvs()
                    + " already: every node has its own");
        }
        Instant now = clock.instant();
        db.inTransaction("register node " + admdvs, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE hub_node SET url = ?, cert_sha256 = ?, updated_at = ? WHERE admdvs = ?")) {
                ps.setString(1, url.toString());
                ps.setString(2, fingerprint);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, admdvs.code());
                if (ps.executeUpdate() == 1) {
                    audit.record(c, registered(now, actor, admdvs, url, fingerprint));
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_node (admdvs, url, cert_sha256, added_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, admdvs.code());
                ps.setString(2, url.toString());
                ps.setString(3, fingerprint);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            audit.record(c, registered(now, actor, admdvs, url, fingerprint));
            return null;
        });
        reloadDirectory();
        LOG.info("Node {} registered at {} (certificate {}) by {}", admdvs, url, fingerprint, actor.name());
        return directory.get(admdvs.code());
    }

    @Override
    public boolean remove(Admdvs admdvs, Actor actor) {
        Instant now = clock.instant();
        boolean removed = db.inTransaction("remove node " + admdvs, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM hub_node WHERE admdvs = ?")) {
                ps.setString(1, admdvs.code());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "HUB_NODE_REMOVED", admdvs.code(),
                    "taken out of the hub's directory"));
            return true;
        });
        reloadDirectory();
        clients.remove(admdvs.code());
        clearingClients.remove(admdvs.code());
        if (removed) {
            LOG.info("Node {} taken out of the hub's directory by {}: its requests are refused from now on", admdvs,
                    actor.name());
        }
        return removed;
    }

    private static AuditEvent registered(java.time.Instant now, org.medsettle.api.store.Actor actor, Admdvs admdvs,
                                         Object url, String fingerprint) {
        return new AuditEvent(now, actor.name(), actor.channel(), "HUB_NODE_REGISTERED", admdvs.code(),
                url + ", certificate " + fingerprint);
    }

    @Override
    public List<Traffic> traffic() {
        List<Traffic> list = new ArrayList<>();
        traffic.forEach((k, v) -> {
            String[] p = k.split(" ");
            list.add(new Traffic(p[0], p[1], p[2], v.delivered.get(), v.failed.get(), v.millis.get(), v.lastError));
        });
        list.sort((a, b) -> (a.from() + a.to() + a.type()).compareTo(b.from() + b.to() + b.type()));
        return list;
    }

    // ---- maintenance notices: the hub lists every province's; a province's node announces and cancels its own

    @Override
    public List<Window> windows() {
        return maintenance.windows();
    }

    @Override
    public Duration warning() {
        return Duration.ofHours(24);
    }

    @Override
    public Window announce(Instant from, Instant until, String reason, Actor actor) {
        throw new IllegalStateException("a maintenance window is announced at the province's own node "
                + "(medsettle:maintenance-announce there), which the hub knows by its certificate; the hub lists them");
    }

    @Override
    public boolean cancel(long id, Actor actor) {
        throw new IllegalStateException("a maintenance window is cancelled at the province's own node "
                + "(medsettle:maintenance-cancel there); the hub lists them");
    }

    // ---- policy distribution: the hub keeps the versions the nodes publish and what each node says of them

    @Override
    public String publish(byte[] policyJson, Actor actor) {
        throw new IllegalStateException("a policy is published at its province's node (medsettle:policy-publish there), "
                + "which the hub knows by its certificate; the hub distributes it");
    }

    @Override
    public List<org.medsettle.api.policy.PolicyDistribution.Published> published() {
        return policies.published();
    }

    @Override
    public long indexSize() {
        return db.inTransaction("count the index", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hub_person_index");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public String ask(Admdvs node, String type, String body) {
        if (!type.startsWith(HUB_OWN)) {
            throw new IllegalArgumentException("the hub sends only its own messages (" + HUB_OWN + "*), not " + type);
        }
        Node receiver = directory.get(node.code());
        if (receiver == null) {
            reloadDirectory();
            receiver = directory.get(node.code());
        }
        if (receiver == null) {
            throw new LinkUnavailableException("the hub has no node for province " + node, null, true);
        }
        long start = System.nanoTime();
        String counted = identity.admdvs().code() + " " + node.code() + " " + type;
        try {
            JsonNode answer = clearingClient(receiver, endpoint.camel()).post(Wire.message(Wire.newMsgId(identity.admdvs()),
                    type, identity.admdvs(), node, WireJson.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    "the node of " + node);
            count(counted, start, null);
            return answer.toString();
        } catch (LinkClient.Refused e) {
            count(counted, start, e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        } catch (LinkUnavailableException e) {
            count(counted, start, e.getMessage());
            throw e;
        }
    }

    /** Types of the hub's own messages to nodes: a node may not send them, nor have the hub forward them. */
    static final String HUB_OWN = "CLEARING_";

    // ---- routing

    /** What the hub-router keeps about the message being forwarded, for the answer's step and the traffic table. */
    private record Forwarding(Wire.Received message, String to, long start) {
    }

    private static final String FORWARDING = "MedsettleHubForwarding";

    /**
     * Step {@code decide}: who sent it (the client certificate's node in the directory, which the message must name),
     * whether it was seen before, and where it goes. Answers here, and ends the route, for a refusal, the hub's own
     * messages ({@code INDEX}, a look-up not found in the index) and a province without a node; otherwise prepares the
     * exchange for {@link LinkClient#POST} to the receiving node.
     */
    void decide(Exchange exchange) throws IOException {
        WireEndpoint.Inbound in = WireEndpoint.receive(exchange, this::known, "the hub's directory", clock);
        if (in.refused()) {
            LOG.warn("Hub refused a link request claiming to come from {} (address {}): {}",
                    in.from().isEmpty() ? "no one" : in.from(), remote(exchange), in.refusal());
            answer(exchange, in.status(), Wire.refused(in.refusal()));
            return;
        }
        Node sender = byCertificate.get(in.certificate());
        Wire.Received m;
        try {
            // the envelope only: a message for a node goes on as the bytes that came, its body never parsed here
            m = Wire.readEnvelope(in.body());
        } catch (IllegalArgumentException e) {
            answer(exchange, 400, Wire.refused(e.getMessage()));
            return;
        }
        if (!m.from().code().equals(sender.admdvs().code())) {
            LOG.warn("Hub refused message {} ({}): it says it is from {} but came with the certificate of {}", m.msgId(),
                    m.type(), m.from(), sender.admdvs());
            answer(exchange, 401, Wire.refused("the message says it is from " + m.from() + " but came with the "
                    + "certificate of " + sender.admdvs()));
            return;
        }
        String replay = replays.refusal(sender.admdvs().code(), m);
        if (replay != null) {
            LOG.warn("Link message {} ({}) from {} refused: {}", m.msgId(), m.type(), sender.admdvs(), replay);
            answer(exchange, 401, Wire.refused(replay));
            return;
        }
        if (m.type().startsWith(HUB_OWN)) {
            LOG.warn("Hub refused message {} ({}) from {}: only the hub sends {}* messages", m.msgId(), m.type(),
                    sender.admdvs(), HUB_OWN);
            answer(exchange, 403, Wire.refused("only the national hub sends " + HUB_OWN + "* messages"));
            return;
        }
        long start = System.nanoTime();
        Admdvs target = m.to();
        if (target.equals(Wire.NATIONAL)) {
            // for the hub itself: its body is read
            try {
                m = Wire.read(in.body());
            } catch (IllegalArgumentException e) {
                answer(exchange, 400, Wire.refused(e.getMessage()));
                return;
            }
            if ("INDEX".equals(m.type())) {
                int n = index(sender.admdvs(), m.body());
                ObjectNode indexed = WireJson.object();
                indexed.put("indexed", n);
                count(m, "hub", start, null);
                answer(exchange, 200, Wire.ok(indexed));
                return;
            }
            if (HubMaintenance.handles(m.type())) {
                ObjectNode answered;
                try {
                    answered = maintenance.answer(sender.admdvs(), m.type(), m.body());
                } catch (IllegalArgumentException e) {
                    count(m, "hub", start, e.getMessage());
                    answer(exchange, 200, Wire.refused(e.getMessage()));
                    return;
                }
                if (!HubMaintenance.LIST.equals(m.type())) {
                    LOG.info("Maintenance notice {} of {}: {}", m.type(), sender.admdvs(), answered);
                }
                count(m, "hub", start, null);
                answer(exchange, 200, Wire.ok(answered));
                return;
            }
            if (HubPolicies.handles(m.type())) {
                ObjectNode answered;
                try {
                    answered = policies.answer(sender.admdvs(), m.type(), m.body());
                } catch (IllegalArgumentException e) {
                    count(m, "hub", start, e.getMessage());
                    answer(exchange, 200, Wire.refused(e.getMessage()));
                    return;
                }
                if (HubPolicies.PUBLISH.equals(m.type())) {
                    LOG.info("Policy published by {}: {}", sender.admdvs(), answered);
                }
                count(m, "hub", start, null);
                answer(exchange, 200, Wire.ok(answered));
                return;
            }
            if (!"PERSON_LOOKUP".equals(m.type())) {
                answer(exchange, 400, Wire.refused(m.type() + " needs a receiving province"));
                return;
            }
            Optional<Admdvs> found = lookup(m.body());
            if (found.isEmpty()) {
                ObjectNode none = WireJson.object();
                none.put("found", false);
                count(m, "index", start, null);
                answer(exchange, 200, Wire.ok(none));
                return;
            }
            target = found.get();
        }
        Node receiver = directory.get(target.province().code());
        if (receiver == null) {
            // registered since it was read (by an administrator's command, or at another hub instance)?
            reloadDirectory();
            receiver = directory.get(target.province().code());
        }
        if (receiver == null) {
            count(m, target.code(), start, "no node in the directory");
            answer(exchange, 404, Wire.refused("the hub has no node for province " + target.province()));
            return;
        }
        exchange.setProperty(FORWARDING, new Forwarding(m, receiver.admdvs().code(), start));
        client(receiver, exchange.getContext()).prepare(exchange, in.body(), "the node of " + receiver.admdvs());
    }

    /** The last step, or an error handler's: the answer to the sender, and the message counted. */
    private void forwarded(Exchange exchange, int status, byte[] body, String error) {
        Forwarding f = exchange.getProperty(FORWARDING, Forwarding.class);
        if (f != null) {
            count(f.message(), f.to(), f.start(), error);
        }
        reply(exchange, status, body);
    }

    /** Answers the sender from step {@code decide} and ends the route there. */
    private void answer(Exchange exchange, int status, byte[] body) {
        reply(exchange, status, body);
        // refused by the hub itself: forwarded to nobody
        Wire.undelivered(exchange.getMessage(), status != 200);
        exchange.setRouteStop(true);
    }

    private void count(Wire.Received m, String to, long start, String error) {
        count(m.from().code() + " " + to + " " + m.type(), start, error);
        io.micrometer.core.instrument.MeterRegistry registry = meters;
        if (registry != null) {
            io.micrometer.core.instrument.Counter.builder("medsettle.hub.forwarded")
                    .description("messages the hub forwarded, by receiving province, message type and outcome (ok, "
                            + "failed: the receiver not reached or not answering)")
                    .tags("to", to, "type", m.type(), "outcome", error == null ? "ok" : "failed").register(registry)
                    .increment();
            org.medsettle.support.metrics.Latency.record(registry, "medsettle.hub.forward",
                    "time from a message's arrival at the hub to the receiver's answer, by receiver",
                    System.nanoTime() - start, "to", to);
        }
    }

    /** The instance's meters (bundle medsettle-metrics); none: nothing measured. */
    private volatile io.micrometer.core.instrument.MeterRegistry meters;

    @org.osgi.service.component.annotations.Reference(
            cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void setMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        meters = registry;
    }

    void unsetMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        if (meters == registry) {
            meters = null;
        }
    }

    private void count(String key, long start, String error) {
        Counter c = traffic.computeIfAbsent(key, k -> new Counter());
        c.millis.addAndGet((System.nanoTime() - start) / 1_000_000);
        if (error == null) {
            c.delivered.incrementAndGet();
        } else {
            c.failed.incrementAndGet();
            c.lastError = error;
        }
    }

    private int index(Admdvs province, JsonNode body) {
        JsonNode keysNode = body.path("keys");
        Instant now = clock.instant();
        return db.inTransaction("index persons of " + province, c -> {
            int n = 0;
            for (JsonNode k : keysNode) {
                String key = k.asText();
                if (key.length() != 64) {
                    continue;
                }
                upsert(c, key, province, now);
                n++;
            }
            return n;
        });
    }

    private static void upsert(Connection c, String key, Admdvs province, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE hub_person_index SET admdvs = ?, updated_at = ? WHERE key_hash = ?")) {
            ps.setString(1, province.code());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, key);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO hub_person_index (key_hash, admdvs, updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, province.code());
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    private Optional<Admdvs> lookup(JsonNode query) {
        List<String> keys = new ArrayList<>();
        if (query.hasNonNull("psn_no")) {
            keys.add(Wire.indexKey("psn", query.get("psn_no").asText()));
        }
        if (query.hasNonNull("certno")) {
            keys.add(Wire.indexKey("cert", query.get("certno").asText()));
        }
        return db.inTransaction("look a person up in the index", c -> {
            for (String key : keys) {
                try (PreparedStatement ps = c.prepareStatement("SELECT admdvs FROM hub_person_index WHERE key_hash = ?")) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return Optional.of(Admdvs.of(rs.getString(1)));
                        }
                    }
                }
            }
            return Optional.empty();
        });
    }

    private void reply(Exchange exchange, int status, byte[] body) {
        WireEndpoint.reply(exchange, status, body, identity.admdvs());
    }

    private static String remote(Exchange exchange) {
        org.apache.camel.http.common.HttpMessage http = exchange.getIn(org.apache.camel.http.common.HttpMessage.class);
        return http == null ? "unknown" : http.getRequest().getRemoteAddr();
    }

    /** Whether a client certificate is a node's in the directory (read again if it is not known yet). */
    private boolean known(String fingerprint) {
        if (byCertificate.containsKey(fingerprint)) {
            return true;
        }
        reloadDirectory();
        return byCertificate.containsKey(fingerprint);
    }

    /** The client of a node for the hub's own messages: as {@link #client}, waiting {@code clearingTimeoutMillis}. */
    private LinkClient clearingClient(Node node, org.apache.camel.CamelContext camel) {
        LinkClient regular = client(node, camel);
        LinkClient c = clearingClients.get(node.admdvs().code());
        if (c != null && c.base().equals(regular.base()) && c.pins().equals(regular.pins())) {
            return c;
        }
        LinkClient made = new LinkClient(camel, certificate, identity.admdvs(), node.url(),
                java.util.Set.of(node.certificate()), "the node of " + node.admdvs(),
                Math.max(config.timeoutMillis(), config.clearingTimeoutMillis()));
        clearingClients.put(node.admdvs().code(), made);
        return made;
    }

    /** The client of a node: pinned to its registered certificate, at its registered address. */
    private LinkClient client(Node node, org.apache.camel.CamelContext camel) {
        if (node.certificate() == null) {
            throw new LinkUnavailableException("the node of " + node.admdvs() + " was registered before the link "
                    + "moved to mutual TLS and has no certificate in the hub's directory: register it again "
                    + "(medsettle:hub-node-add with its medsettle:link-certificate)", null, true);
        }
        LinkClient c = clients.get(node.admdvs().code());
        if (c != null && c.base().equals(node.url()) && c.pins().equals(java.util.Set.of(node.certificate()))) {
            return c;
        }
        LinkClient made = new LinkClient(camel, certificate, identity.admdvs(), node.url(),
                java.util.Set.of(node.certificate()), "the node of " + node.admdvs(), config.timeoutMillis());
        clients.put(node.admdvs().code(), made);
        return made;
    }
}
