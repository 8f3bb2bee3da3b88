package org.medsettle.link.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.time.Duration;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.InstanceKeys;
import org.medsettle.api.link.Signatures;
import org.medsettle.support.InFlight;
import org.medsettle.support.camel.CamelHost;
import org.medsettle.support.servlet.ServletFront;
import org.osgi.framework.BundleContext;
import org.osgi.service.http.HttpService;

/**
 * The HTTP end of the link on an instance (node or hub): a CamelContext named {@code name} ({@link CamelHost}),
 * Camel's servlet at {@link Wire#ALIAS} on the instance's HTTP port, the routes, and the context registered for
 * {@code camel:route-list}. Consume {@link #inbound(String)} in a route and handle each message through
 * {@link #gated}, so that the endpoint can drain before it goes ({@link #close}).
 */
public final class WireEndpoint implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WireEndpoint.class);
    /** How long messages in progress may take to finish when the endpoint goes (a hub exchange is bounded by 3 s). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final InFlight inFlight;
    private final CamelHost camel;

    /** @param inFlight the gate the routes' {@link #gated} handlers pass through */
    public WireEndpoint(BundleContext context, HttpService http, String name, InFlight inFlight, RoutesBuilder routes)
            throws Exception {
        this.name = name;
        this.inFlight = inFlight;
        camel = CamelHost.start(context, name, routes, new ServletFront(http, name, Wire.ALIAS));
    }

    /** The endpoint URI of the messages posted to {@link Wire#PATH}, for the context named {@code name}. */
    public static String inbound(String name) {
        return ServletFront.endpoint(name, "/v1");
    }

    /**
     * {@code handler} run for each message while the endpoint is open; once it is going, a message is answered at
     * once with HTTP 503 and {@link Wire#UNPROCESSED_HEADER} — not looked at, the sender sends it again.
     */
    public static Processor gated(InFlight inFlight, Processor handler) {
        return exchange -> {
            if (!inFlight.enter()) {
                org.apache.camel.Message out = exchange.getMessage();
                out.removeHeaders("*");
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
                out.setHeader(Exchange.CONTENT_TYPE, "application/json");
                out.setHeader(Wire.UNPROCESSED_HEADER, "true");
                out.setHeader("Retry-After", "1");
                out.setBody(Wire.refused("the link of this instance is being updated; nothing was done, send the "
                        + "message again"));
                return;
            }
            try {
                handler.process(exchange);
            } finally {
                inFlight.exit();
            }
        };
    }

    /** The largest message accepted. */
    public static final int MAX_BYTES = 1_048_576;

    /**
     * A request as received: its bytes and sender, and how it was authenticated — in a link session
     * ({@code session} and the request's MAC) or signed with Ed25519 ({@code session} null); or why it was refused
     * ({@code refusal} not null).
     */
    public record Inbound(byte[] body, String from, LinkSessions.Session session, String requestMac, int status,
                          String refusal, boolean unknownSession) {

        public boolean refused() {
            return refusal != null;
        }

        static Inbound refused(byte[] body, String from, int status, String refusal, boolean unknownSession) {
            return new Inbound(body, from, null, null, status, refusal, unknownSession);
        }
    }

    /**
     * Reads a request and authenticates it: a session header must name a session this instance accepted from the
     * sender, with the right MAC; otherwise the body must carry the sender's Ed25519 signature with the key
     * {@code trustedKey} gives for the sender's code (null: none trusted).
     */
    public static Inbound receive(Exchange exchange, LinkSessions sessions, Function<String, String> trustedKey)
            throws IOException {
        byte[] body;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
        }
        String header = exchange.getIn().getHeader(Signatures.FROM_HEADER, String.class);
        String from = header == null ? "" : header.strip();
        if (body.length > MAX_BYTES) {
            return Inbound.refused(body, from, 413, "the message is larger than " + MAX_BYTES + " bytes", false);
        }
        String sessionId = exchange.getIn().getHeader(LinkSessions.SESSION_HEADER, String.class);
        if (sessionId != null) {
            java.util.Optional<LinkSessions.Session> session = sessions.accepted(sessionId);
            if (session.isEmpty()) {
                return Inbound.refused(body, from, 401, "unknown or expired link session; open a new one", true);
            }
            String mac = exchange.getIn().getHeader(LinkSessions.MAC_HEADER, String.class);
            if (!session.get().peer().equals(from) || !LinkSessions.checkRequest(session.get(), body, mac)) {
                return Inbound.refused(body, from, 401, "the message does not carry a valid MAC of its link session",
                        false);
            }
            return new Inbound(body, from, session.get(), mac.strip(), 200, null, false);
        }
        String key = from.isEmpty() ? null : trustedKey.apply(from);
        if (key == null) {
            return Inbound.refused(body, from, 401, "the sender " + (from.isEmpty() ? "(none named)" : from)
                    + " has no key this instance trusts", false);
        }
        if (!Signatures.verify(key, body, exchange.getIn().getHeader(Signatures.SIGNATURE_HEADER, String.class))) {
            return Inbound.refused(body, from, 401, "the signature does not match the key this instance trusts for "
                    + from, false);
        }
        return new Inbound(body, from, null, null, 200, null, false);
    }

    /**
     * Answers a request the way it came: in its link session (MAC over the request's MAC and the answer) or signed
     * with this instance's Ed25519 key.
     */
    public static void reply(Exchange exchange, Inbound request, int status, byte[] body, InstanceKeys keys, Admdvs self) {
        org.apache.camel.Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (request != null && request.session() != null) {
            out.setHeader(LinkSessions.MAC_HEADER, request.session().answerMac(request.requestMac(), body));
        } else {
            out.setHeader(Signatures.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(keys.sign(body)));
        }
        if (request != null && request.unknownSession()) {
            out.setHeader(LinkSessions.UNKNOWN_HEADER, "true");
        }
        out.setHeader(Signatures.FROM_HEADER, self.code());
        out.setBody(body);
    }

    /**
     * Answers a handshake (a {@link LinkSessions#HANDSHAKE} message, signed): a new session with the sender. Refuses
     * one that came inside a session.
     */
    public static void handshake(Exchange exchange, Inbound request, Wire.Received message, LinkSessions sessions,
                                 InstanceKeys keys, Admdvs self) {
        if (request.session() != null) {
            reply(exchange, request, 400, Wire.refused("a session is opened with a signed request"), keys, self);
            return;
        }
        try {
            reply(exchange, request, 200, Wire.ok(sessions.accept(request.from(), message.body())), keys, self);
        } catch (IllegalArgumentException e) {
            reply(exchange, request, 400, Wire.refused(e.getMessage()), keys, self);
        } catch (IllegalStateException e) {
            reply(exchange, request, 503, Wire.refused(e.getMessage()), keys, self);
        }
    }

    /**
     * Going (bundle update, stop): new messages are answered "being updated, send again" at once, those in progress
     * are finished, then the routes stop and the servlet goes.
     */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        int busy = inFlight.count();
        try {
            if (!inFlight.close(DRAIN_TIMEOUT)) {
                LOG.warn("Link endpoint {} stopping: {} messages still in progress after {} s", name, inFlight.count(),
                        DRAIN_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Link endpoint {} stopping: new messages answered 503 (send again); {} in progress finished in {} ms",
                name, busy, (System.nanoTime() - t0) / 1_000_000);
        camel.close();
    }
}
