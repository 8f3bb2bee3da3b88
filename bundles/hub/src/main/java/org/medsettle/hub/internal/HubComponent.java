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
import org.medsettle.api.instance.InstanceKeys;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.Signatures;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.medsettle.support.InFlight;
import org.medsettle.link.internal.wire.LinkClient;
import org.medsettle.link.internal.wire.LinkSessions;
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
 * in Camel context {@code medsettle-hub} takes signed messages from the nodes of its directory, checks each
 * sender's signature with the key registered for it, and passes the message to the node of the province it is
 * for, signed by the hub; the node's signed answer goes back signed by the hub. Person look-ups without an insured
 * province are resolved through the national index of insured persons, which holds hashed keys only.
 */
@Component(service = HubDirectory.class, configurationPid = "org.medsettle.hub")
@Designate(ocd = HubConfig.class)
public class HubComponent implements HubDirectory {

    static final String CONTEXT = "medsettle-hub";
    private static final Logger LOG = LoggerFactory.getLogger(HubComponent.class);

    private final InstanceIdentity identity;
    private final InstanceKeys keys;
    private final Transactor db;
    private final AuditLog audit;
    private final HttpService http;
    private final HubConfig config;
    private final LinkClient client;
    private final LinkSessions sessions;
    private final Clock clock = Clock.systemUTC();
    private final ReplayGuard replays = new ReplayGuard(clock);
    private final WireEndpoint endpoint;
    /** Messages being routed: drained before the hub goes. */
    private final InFlight inFlight = new InFlight();
    private final Map<String, Counter> traffic = new ConcurrentHashMap<>();
    private final Map<String, Node> directory = new ConcurrentHashMap<>();

    private static final class Counter {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong millis = new AtomicLong();
        volatile String lastError = "";
    }

    @Activate
    public HubComponent(BundleContext context, HubConfig config,
                        @Reference(target = "(role~=hub)") InstanceIdentity identity, @Reference InstanceKeys keys,
                        @Reference Transactor db, @Reference AuditLog audit, @Reference HttpService http,
                         @Reference(target = "(component=servlet)") ComponentResolver servletComponent) throws Exception {
        this.identity = identity;
        this.keys = keys;
        this.db = db;
        this.audit = audit;
        this.http = http;
        this.config = config;
        this.client = new LinkClient(keys, identity.admdvs(), config.timeoutMillis());
        this.sessions = client.sessions();
        reloadDirectory();
        endpoint = new WireEndpoint(context, http, CONTEXT, inFlight, new RouteBuilder() {
            @Override
            public void configure() {
                from(WireEndpoint.inbound(CONTEXT)).routeId("hub-router")
                        .process(WireEndpoint.gated(inFlight, HubComponent.this::route));
            }
        });
        LOG.info("National hub at {}: {} node(s) in the directory, hub key {}", Wire.PATH, directory.size(),
                Signatures.fingerprint(keys.publicKey()));
    }

    @Deactivate
    void deactivate() {
        endpoint.close();
    }

    // ---- directory

    private void reloadDirectory() {
        List<Node> nodes = db.inTransaction("read the hub directory", c -> {
            List<Node> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT admdvs, url, public_key, updated_at FROM hub_node "
                    + "ORDER BY admdvs"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Node(Admdvs.of(rs.getString(1)), URI.create(rs.getString(2)), rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return list;
        });
        directory.clear();
        nodes.forEach(n -> directory.put(n.admdvs().code(), n));
    }

    @Override
    public List<Node> nodes() {
        reloadDirectory();
        return directory.values().stream().sorted((a, b) -> a.admdvs().compareTo(b.admdvs())).toList();
    }

    @Override
    public Node register(Admdvs admdvs, URI url, String publicKey, Actor actor) {
        if (!admdvs.isProvince()) {
            throw new IllegalArgumentException("a node serves a province: " + admdvs + " is not a province code");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("the node's address must be an http(s) URL: " + url);
        }
        try {
            Signatures.publicKey(publicKey);
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (base64, from medsettle:link-key on the node)");
        }
        Instant now = clock.instant();
        db.inTransaction("register node " + admdvs, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE hub_node SET url = ?, public_key = ?, updated_at = ? WHERE admdvs = ?")) {
                ps.setString(1, url.toString());
                ps.setString(2, publicKey.strip());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, admdvs.code());
                if (ps.executeUpdate() == 1) {
                    audit.record(c, registered(now, actor, admdvs, url, publicKey));
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_node (admdvs, url, public_key, added_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, admdvs.code());
                ps.setString(2, url.toString());
                ps.setString(3, publicKey.strip());
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            audit.record(c, registered(now, actor, admdvs, url, publicKey));
            return null;
        });
        reloadDirectory();
        sessions.forget(admdvs.code());
        LOG.info("Node {} registered at {} (key {}) by {}", admdvs, url, Signatures.fingerprint(publicKey), actor.name());
        return directory.get(admdvs.code());
    }

    private static AuditEvent registered(java.time.Instant now, org.medsettle.api.store.Actor actor, Admdvs admdvs,
                                         Object url, String publicKey) {
        return new AuditEvent(now, actor.name(), actor.channel(), "HUB_NODE_REGISTERED", admdvs.code(),
                url + ", key " + Signatures.fingerprint(publicKey));
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

    // ---- routing

    void route(Exchange exchange) throws IOException {
        WireEndpoint.Inbound in = WireEndpoint.receive(exchange, sessions, this::trustedKey);
        if (in.refused()) {
            if (in.unknownSession()) {
                LOG.debug("Message from {} in an unknown session: it opens a new one", in.from());
            } else {
                LOG.warn("Hub refused a message claiming to come from {}: {}", in.from(), in.refusal());
            }
            reply(exchange, in, in.status(), Wire.refused(in.refusal()));
            return;
        }
        Node sender = directory.get(in.from());
        if (sender == null) {
            reply(exchange, in, 401, Wire.refused("node " + in.from() + " is not in the hub's directory"));
            return;
        }
        Wire.Received m;
        try {
            m = Wire.read(in.body());
        } catch (IllegalArgumentException e) {
            reply(exchange, in, 400, Wire.refused(e.getMessage()));
            return;
        }
        if (!m.from().code().equals(sender.admdvs().code())) {
            reply(exchange, in, 400, Wire.refused("the message says it is from " + m.from() + " but was signed by "
                    + in.from()));
            return;
        }
        String replay = replays.refusal(in.from(), m);
        if (replay != null) {
            LOG.warn("Link message {} ({}) from {} refused: {}", m.msgId(), m.type(), in.from(), replay);
            reply(exchange, in, 401, Wire.refused(replay));
            return;
        }
        if (LinkSessions.HANDSHAKE.equals(m.type())) {
            WireEndpoint.handshake(exchange, in, m, sessions, keys, identity.admdvs());
            return;
        }
        long start = System.nanoTime();
        Admdvs target = m.to();
        try {
            if (target.equals(Wire.NATIONAL)) {
                if ("INDEX".equals(m.type())) {
                    int n = index(sender.admdvs(), m.body());
                    ObjectNode answer = WireJson.object();
                    answer.put("indexed", n);
                    count(m, "hub", start, null);
                    reply(exchange, in, 200, Wire.ok(answer));
                    return;
                }
                if (!"PERSON_LOOKUP".equals(m.type())) {
                    reply(exchange, in, 400, Wire.refused(m.type() + " needs a receiving province"));
                    return;
                }
                Optional<Admdvs> found = lookup(m.body());
                if (found.isEmpty()) {
                    ObjectNode none = WireJson.object();
                    none.put("found", false);
                    count(m, "index", start, null);
                    reply(exchange, in, 200, Wire.ok(none));
                    return;
                }
                target = found.get();
            }
            Node receiver = directory.get(target.province().code());
            if (receiver == null) {
                count(m, target.code(), start, "no node in the directory");
                reply(exchange, in, 404, Wire.refused("the hub has no node for province " + target.province()));
                return;
            }
            JsonNode checked;
            try {
                checked = client.exchange(receiver.url(), receiver.admdvs(), in.body(), receiver.publicKey(),
                        Duration.ofMillis(config.timeoutMillis()), "the node of " + receiver.admdvs());
            } catch (LinkClient.Refused refused) {
                count(m, receiver.admdvs().code(), start, null);
                reply(exchange, in, 200, Wire.refused(refused.getMessage()));
                return;
            } catch (LinkClient.Unprocessed updating) {
                // the receiving node is being updated and did not look at the message: the sender sends it again
                count(m, receiver.admdvs().code(), start, updating.getMessage());
                reply(exchange, in, 503, Wire.refused(updating.getMessage()));
                exchange.getMessage().setHeader(Wire.UNPROCESSED_HEADER, "true");
                return;
            }
            count(m, receiver.admdvs().code(), start, null);
            reply(exchange, in, 200, Wire.ok(checked));
        } catch (LinkUnavailableException e) {
            count(m, target.code(), start, e.getMessage());
            reply(exchange, in, 502, Wire.refused(e.getMessage()));
        }
    }

    private void count(Wire.Received m, String to, long start, String error) {
        Counter c = traffic.computeIfAbsent(m.from().code() + " " + to + " " + m.type(), k -> new Counter());
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

    private void reply(Exchange exchange, WireEndpoint.Inbound request, int status, byte[] body) {
        WireEndpoint.reply(exchange, request, status, body, keys, identity.admdvs());
    }

    /** The key of a node in the directory (read again if the node is not known yet), or null. */
    private String trustedKey(String from) {
        Node sender = directory.get(from);
        if (sender == null) {
            reloadDirectory();
            sender = directory.get(from);
        }
        return sender == null ? null : sender.publicKey();
    }
}
