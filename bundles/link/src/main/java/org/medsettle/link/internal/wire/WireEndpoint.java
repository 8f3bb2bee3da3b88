package org.medsettle.link.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.medsettle.api.Admdvs;
import org.apache.camel.http.common.HttpMessage;
import org.medsettle.support.InFlight;
import org.medsettle.support.camel.CamelHost;
import org.medsettle.support.servlet.ServletFront;
import org.osgi.framework.BundleContext;
import org.osgi.service.http.HttpService;

/**
 * The HTTP end of the link on an instance (node or hub): a CamelContext named {@code name} ({@link CamelHost}),
 * Camel's servlet at {@link Wire#ALIAS} on the instance's HTTP port, the routes, and the context registered for
 * {@code camel:route-list}. Consume {@link #inbound(String)} in a route whose first step is
 * {@link #admit}, so that the endpoint can drain before it goes ({@link #close}).
 */
public final class WireEndpoint implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WireEndpoint.class);
    /** How long messages in progress may take to finish when the endpoint goes (a hub exchange is bounded by 3 s). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final InFlight inFlight;
    private final CamelHost camel;

    /** @param inFlight the gate the routes' first step ({@link #admit}) passes messages through */
    public WireEndpoint(BundleContext context, HttpService http, String name, InFlight inFlight, RoutesBuilder routes)
            throws Exception {
        this.name = name;
        this.inFlight = inFlight;
        camel = CamelHost.start(context, name, routes, new ServletFront(http, name, Wire.ALIAS));
    }

    /** The answer of an endpoint that is going: 503, not looked at, send it again. */
    private static void unprocessed(Exchange exchange) {
        org.apache.camel.Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        Wire.notLookedAt(out);
        out.setHeader("Retry-After", "1");
        out.setBody(Wire.refused("the link of this instance is being updated; nothing was done, send the message "
                + "again"));
    }

    /** The CamelContext of the endpoint's routes. */
    public org.apache.camel.CamelContext camel() {
        return camel.context();
    }

    /** The endpoint URI of the messages posted to {@link Wire#PATH}, for the context named {@code name}. */
    public static String inbound(String name) {
        return ServletFront.endpoint(name, "/v1");
    }

    /**
     * The first step of a route of several: while the endpoint is open, the message is counted in {@code inFlight}
     * until its exchange is done (whatever the later steps do); once it is going, the message is answered at once
     * with HTTP 503 and {@link Wire#UNPROCESSED_HEADER} and the route ends there.
     */
    public static Processor admit(InFlight inFlight) {
        return exchange -> {
            if (!inFlight.enter()) {
                unprocessed(exchange);
                exchange.setRouteStop(true);
                return;
            }
            exchange.getUnitOfWork().addSynchronization(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    inFlight.exit();
                }
            });
        };
    }

    /** The largest message accepted. */
    public static final int MAX_BYTES = 1_048_576;

    /**
     * A request as received: its bytes, the division code it names as its sender ({@link Wire#FROM_HEADER}) and the
     * fingerprint of the client certificate it came with; or why it was refused ({@code refusal} not null).
     */
    public record Inbound(byte[] body, String from, String certificate, int status, String refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    /** The servlet request attribute under which Jetty puts a TLS client's verified certificate chain. */
    static final String CLIENT_CERTIFICATES = "javax.servlet.request.X509Certificate";

    /**
     * Reads a request and checks who sent it: it must have come over TLS with a client certificate, valid now,
     * whose fingerprint {@code trusted} accepts ({@code what} names the pins, for the refusal).
     */
    public static Inbound receive(Exchange exchange, Predicate<String> trusted, String what, Clock clock)
            throws IOException {
        byte[] body;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
        }
        String header = exchange.getIn().getHeader(Wire.FROM_HEADER, String.class);
        String from = header == null ? "" : header.strip();
        HttpMessage http = exchange.getIn(HttpMessage.class);
        Object chain = http == null ? null : http.getRequest().getAttribute(CLIENT_CERTIFICATES);
        PinnedCertificates.Checked checked = PinnedCertificates.check(
                chain instanceof X509Certificate[] certificates ? certificates : null, trusted, what, clock);
        if (checked.refused()) {
            return new Inbound(body, from, checked.fingerprint(), 401, checked.refusal());
        }
        if (body.length > MAX_BYTES) {
            return new Inbound(body, from, checked.fingerprint(), 413, "the message is larger than " + MAX_BYTES
                    + " bytes");
        }
        return new Inbound(body, from, checked.fingerprint(), 200, null);
    }

    /** Answers a request: {@code status}, the JSON {@code body}, this instance's code in {@link Wire#FROM_HEADER}. */
    public static void reply(Exchange exchange, int status, byte[] body, Admdvs self) {
        org.apache.camel.Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Wire.FROM_HEADER, self.code());
        out.setBody(body);
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
