package org.medsettle.link.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.NormalizedEndpointUri;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.link.LinkUnavailableException;

/**
 * Sends messages to ONE other instance (the hub, or on the hub one node) through the Camel routes of
 * {@link #routes}: {@code link-send} (Camel's redelivery while the receiver is being updated, the message built
 * afresh for every attempt) and {@code link-post} ({@code toD("https://…")}, Camel's HTTP producer on Apache
 * HttpClient, kept-alive connections, then the answer checked). Over mutual TLS: this instance presents its link
 * certificate, and accepts only the peer's pinned certificate ({@link PinnedCertificates}, through Camel's
 * {@code SSLContextParameters}). Every failure to get an answer is a {@link LinkUnavailableException} naming what
 * failed; a business refusal of the far side is a {@link Refused}.
 */
public final class LinkClient {

    /** The far side understood and refused (e.g. no filing covers the visit). */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The receiver did not look at the message — it is being updated (its link answered 503 with
     * {@link Wire#UNPROCESSED_HEADER}) or its link endpoint is not there for a moment (a bare 404 or 503 that no
     * medsettle link answered) — so sending it again is safe.
     */
    public static final class Unprocessed extends LinkUnavailableException {
        private static final long serialVersionUID = 1L;

        /**
         * @param undelivered whether it is certain that nobody acted on it (false for a kept-alive connection closed
         *                    before any answer: the message may have been taken before the other side went)
         */
        public Unprocessed(String message, boolean undelivered) {
            super(message, null, undelivered);
        }
    }

    /**
     * The receiver could not be reached at all: refused connection, time-out, TLS failure. Only these count against
     * the link's circuit breaker — an answer, even a refusal or a 502 of the hub about another node, shows the hub is
     * there.
     */
    public static final class Unreachable extends LinkUnavailableException {
        private static final long serialVersionUID = 1L;

        Unreachable(LinkUnavailableException named) {
            super(named.getMessage(), named.getCause(), named.undelivered());
        }
    }

    /**
     * The circuit breaker of route {@code link-send} (Camel's Circuit Breaker EIP on Resilience4j): the registry name
     * of its {@code CircuitBreaker}, which records only {@link Unreachable}, and what to tell a caller while it is
     * open.
     */
    public interface Breaker {
        /** The name under which the breaker is bound in the context's registry. */
        String ref();

        /** Why an exchange was not tried: the breaker's state and what opened it. */
        String whyOpen();
    }

    /** The route that sends a message and, while the answer is {@link Unprocessed}, sends it again afresh. */
    public static final String SEND = "direct:link-send";
    /** The route that sends through the circuit breaker. */
    static final String GUARDED = "direct:link-breaker";
    /** The route that posts one message and checks the answer. */
    public static final String POST = "direct:link-post";
    /** The peer's endpoint ({@link NormalizedEndpointUri}) route {@code link-post} sends to. */
    static final String ENDPOINT = "MedsettleLinkEndpoint";
    static final String FROM = "MedsettleLinkFrom";
    static final String WHAT = "MedsettleLinkWhat";
    static final String MESSAGE = "MedsettleLinkMessage";
    static final String DEADLINE = "MedsettleLinkDeadline";
    /** Set on {@code link-send}'s exchange when an attempt before the last may have been acted on (not certain). */
    static final String MAYBE_DELIVERED = "MedsettleLinkMaybeDelivered";
    /** The longest pause between two attempts: an attempt is not started if it would begin after the grace. */
    static final long MAX_DELAY_MILLIS = 500;
    /** Set by {@code link-post} on an answer that says ok: its bytes as received (the hub passes them on so). */
    public static final String ANSWER_BYTES = "MedsettleLinkAnswerBytes";
    /** A kept-alive connection idle for longer is checked for having been closed by the peer before it is reused. */
    static final int STALE_CHECK_MILLIS = 200;
    private static final String ANY_HOST = "medsettle-link-any-host";
    private static final String STATELESS = "medsettle-link-stateless";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkClient.class);

    private final ProducerTemplate template;
    private final Admdvs self;
    private final URI base;
    private final Set<String> pins;
    /**
     * The peer's endpoint URI as the context keys its endpoints, normalised once: route {@code link-post}'s
     * {@code toD} would otherwise parse and sort the long URI's options for every message (3 % of a treatment node's
     * CPU under load, issue 15).
     */
    private final NormalizedEndpointUri endpoint;

    /**
     * A client of the instance at {@code base} whose link certificate has one of the SHA-256 fingerprints
     * {@code pins}, sending through {@code camel}'s {@link #routes}.
     *
     * @param timeoutMillis how long an exchange may take; connecting waits at least 200 ms
     */
    public LinkClient(CamelContext camel, LinkCertificate mine, Admdvs self, URI base, Set<String> pins, String peer,
                      long timeoutMillis) {
        this.self = self;
        this.base = base;
        this.pins = Set.copyOf(pins);
        String tls = "medsettle-link-tls-" + UUID.randomUUID();
        camel.getRegistry().bind(tls, sslContextParameters(mine, this.pins, peer));
        String uri = base.resolve(Wire.PATH) + "?sslContextParameters=#" + tls + "&x509HostnameVerifier=#" + ANY_HOST
                // the answer's headers only: whether the answer carries X-Medsettle-From tells a link's own 404/503 from
                // Jetty's while no link is there (the request carried one too)
                + "&httpClientConfigurer=#" + STATELESS
                + "&copyHeaders=false&throwExceptionOnFailure=false&connectTimeout=" + Math.max(200, timeoutMillis)
                + "&socketTimeout=" + timeoutMillis + "&connectionRequestTimeout=" + timeoutMillis;
        ExtendedCamelContext extended = camel.adapt(ExtendedCamelContext.class);
        this.endpoint = extended.normalizeUri(uri);
        this.template = camel.createProducerTemplate();
        // the endpoint route link-post's toD resolves to (the context keeps it by its URI): its kept-alive connections
        // are checked before reuse once idle for STALE_CHECK_MILLIS (HttpClient's default: 2 s), so that one the peer
        // closed when it stopped is found closed before a message is written on it — a message sent on it would get no
        // answer and could not be told from one the peer took before dying (not "undelivered")
        if (extended.getEndpoint(endpoint) instanceof org.apache.camel.component.http.HttpEndpoint http
                && http.getClientConnectionManager()
                instanceof org.apache.http.impl.conn.PoolingHttpClientConnectionManager pool) {
            pool.setValidateAfterInactivity(STALE_CHECK_MILLIS);
        }
    }

    /**
     * Route {@code link-post}, which every context that sends link messages runs (the hub forwards through it): add
     * it to the context's {@link RouteBuilder}.
     */
    public static void postRoute(RouteBuilder routes) {
        // the peer is identified by its pinned certificate, not by the name it is reached at: no host name check
        routes.getContext().getRegistry().bind(ANY_HOST, NoopHostnameVerifier.INSTANCE);
        // with a client certificate, Apache HttpClient marks each connection with the TLS principal and reuses it
        // only for a request carrying that principal, which Camel's producer never does: every message paid a new
        // TLS handshake. All of a context's link connections are this instance's, so they are kept without that state.
        routes.getContext().getRegistry().bind(STATELESS, (org.apache.camel.component.http.HttpClientConfigurer)
                org.apache.http.impl.client.HttpClientBuilder::disableConnectionState);
        routes.from(POST).routeId("link-post").errorHandler(routes.noErrorHandler())
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, routes.constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, routes.constant("application/json"))
                .setHeader(Wire.FROM_HEADER, routes.exchangeProperty(FROM))
                .doTry()
                    .toD("${exchangeProperty." + ENDPOINT + "}")
                .doCatch(IOException.class)
                    // time-outs, refused connections, TLS failures: what failed, named for whoever asked
                    .process(exchange -> {
                        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        if (closedUnanswered(failure)) {
                            // a kept-alive connection the peer (or the balancer in front of it) had closed — a hub
                            // instance killed behind HAProxy: nothing came back. Every link message may be sent again
                            // (applied once per setl_id, a notice once per id, the rest reads), so it is, afresh
                            throw new Unprocessed(exchange.getProperty(WHAT, String.class) + " was not answered on a "
                                    + "connection the other side had closed (" + failure.getMessage() + ")", false);
                        }
                        throw new Unreachable(unavailable(failure, exchange.getProperty(WHAT, String.class)));
                    })
                .end()
                .process(LinkClient::checkAnswer);
    }

    /**
     * Routes {@code link-send}, {@code link-breaker} and {@code link-post}, which a node runs to send to its hub through
     * {@link #exchange}: the message goes through {@code breaker} (Camel's Circuit Breaker EIP: while it is open,
     * nothing is tried and the caller is told at once) and is sent again afresh while the answer is
     * {@link Unprocessed}.
     */
    public static void routes(RouteBuilder routes, Breaker breaker) {
        postRoute(routes);
        routes.from(SEND).routeId("link-send")
                // a refusal or a failure goes back to the caller, which decides and logs; only "unprocessed" is
                // sent again
                .errorHandler(routes.defaultErrorHandler().logExhausted(false).logStackTrace(false)
                        .logRetryAttempted(false))
                .onException(Unprocessed.class)
                    // the receiver (or the hub) is being updated: the message is built afresh (new sent_at and
                    // nonce: the hub's replay guard recorded the first) and sent again, 25 ms doubling to 500 ms
                    .retryWhile(exchange -> System.nanoTime() + MAX_DELAY_MILLIS * 1_000_000
                            < exchange.getProperty(DEADLINE, Long.class))
                    .redeliveryDelay(25).useExponentialBackOff().backOffMultiplier(2)
                    .maximumRedeliveryDelay(MAX_DELAY_MILLIS)
                    .onRedelivery(exchange -> {
                        // the attempt that failed: if it may have been acted on, the exchange's failure never says
                        // "undelivered", whatever the later attempts meet
                        if (!(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof LinkUnavailableException failed
                                && failed.undelivered())) {
                            exchange.setProperty(MAYBE_DELIVERED, true);
                        }
                        exchange.getIn().setBody(exchange.getProperty(MESSAGE, Supplier.class).get());
                    })
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false).logHandled(false)
                .end()
                .to(GUARDED);
        // the breaker in a route of its own: inside link-send's steps it would run as a try block, and Camel's
        // redelivery of "unprocessed" would not happen
        routes.from(GUARDED).routeId("link-breaker").errorHandler(routes.noErrorHandler())
                // what the breaker said of an earlier attempt (it marks any failure "rejected" too): this attempt's
                // own answer decides below. By name: a pattern is tried as a regular expression, compiled anew, on
                // every property of every message (2.5 % of a treatment node's CPU samples under load)
                .removeProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_SUCCESSFUL_EXECUTION.getName())
                .removeProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_FROM_FALLBACK.getName())
                .removeProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_SHORT_CIRCUITED.getName())
                .removeProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_TIMED_OUT.getName())
                .removeProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_REJECTED.getName())
                .removeProperty(Exchange.CIRCUIT_BREAKER_STATE)
                .circuitBreaker().id("breaker")
                    .resilience4jConfiguration().circuitBreaker(breaker.ref())
                        .throwExceptionWhenHalfOpenOrOpenState(false).end()
                    .to(POST)
                .end()
                // rejected without an exception: the breaker is open (or half open and its tries taken)
                .filter(routes.exchangeProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_REJECTED.getName())
                        .isEqualTo(true)).id("breaker-open")
                    .process(exchange -> {
                        throw new LinkUnavailableException(exchange.getProperty(WHAT, String.class)
                                + " was not tried: " + breaker.whyOpen(), null, true);
                    })
                .end();
    }

    /**
     * Whether a send failed because the connection it used was closed by the other side before any answer (Apache
     * HttpClient's {@code NoHttpResponseException}: a pooled keep-alive connection that went stale), rather than because
     * the other side could not be reached or did not answer in time.
     */
    static boolean closedUnanswered(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.http.NoHttpResponseException) {
                return true;
            }
        }
        return false;
    }

    /** The TLS of a link client as Camel's parameters: key manager from this instance's key store, trust pinned. */
    static SSLContextParameters sslContextParameters(LinkCertificate mine, Set<String> pins, String peer) {
        if (mine.problem().isPresent()) {
            throw new LinkUnavailableException("this instance has no usable link certificate: " + mine.problem().get(),
                    null);
        }
        String password = new String(mine.keyStorePassword());
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource(mine.keyStore().toUri().toString());
        store.setType("PKCS12");
        store.setPassword(password);
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(password);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setTrustManager(PinnedCertificates.serverPinnedTo(pins, peer, Clock.systemUTC()));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        parameters.setTrustManagers(trust);
        parameters.setSecureSocketProtocol("TLSv1.3");
        return parameters;
    }

    /** The address this client sends to. */
    public URI base() {
        return base;
    }

    /** The fingerprints this client accepts of the peer. */
    public Set<String> pins() {
        return pins;
    }

    /**
     * Sends a message built by {@code message}, built afresh and sent again while the answer is
     * {@link Unprocessed} — the receiver or the hub is being updated — for up to {@code grace} (route
     * {@code link-send}, see {@link #routes}). An answer that was looked at, a refusal or a time-out is never sent
     * again.
     */
    public JsonNode exchange(Supplier<byte[]> message, String what, Duration grace) {
        long start = System.nanoTime();
        Exchange done = template.send(SEND, exchange -> {
            prepare(exchange, message.get(), what);
            exchange.setProperty(MESSAGE, message);
            exchange.setProperty(DEADLINE, start + grace.toNanos());
        });
        int attempts = 1 + done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        // undelivered only if no attempt may have been acted on
        boolean earlierMaybeDelivered = done.getProperty(MAYBE_DELIVERED, false, Boolean.class);
        if (done.getException() instanceof Unprocessed e) {
            throw new LinkUnavailableException(e.getMessage() + "; still so after " + attempts + " attempts in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms", e, e.undelivered() && !earlierMaybeDelivered);
        }
        if (earlierMaybeDelivered && done.getException() instanceof LinkUnavailableException e && e.undelivered()) {
            throw new LinkUnavailableException(e.getMessage() + " (an earlier attempt may have been taken)", e, false);
        }
        JsonNode answer = answerOf(done, what);
        if (attempts > 1) {
            LOG.info("{} answered at attempt {}, {} ms after the first (it was being updated)", what, attempts,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return answer;
    }

    /**
     * Posts one message through route {@link #POST} (no redelivery, no breaker: what the hub sends of its own, whose
     * caller tries again later) and answers the peer's answer {@code body}.
     */
    public JsonNode post(byte[] message, String what) {
        return answerOf(template.send(POST, exchange -> prepare(exchange, message, what)), what);
    }

    /**
     * Makes {@code exchange} a message to this client's peer for route {@link #POST} ({@code what} names the peer in
     * messages): what the hub does before forwarding in its own route.
     */
    public void prepare(Exchange exchange, byte[] message, String what) {
        exchange.setProperty(ENDPOINT, endpoint);
        exchange.setProperty(FROM, self.code());
        exchange.setProperty(WHAT, what);
        exchange.getIn().setBody(message);
    }

    /** The checked answer of a finished exchange, or what failed as an exception a caller understands. */
    private static JsonNode answerOf(Exchange done, String what) {
        Exception e = done.getException();
        if (e == null) {
            return done.getMessage().getBody(JsonNode.class);
        }
        if (e instanceof LinkUnavailableException || e instanceof Refused) {
            throw (RuntimeException) e;
        }
        throw unavailable(e, what);
    }

    /** What a transport failure means to the sender, named. */
    static LinkUnavailableException unavailable(Exception e, String what) {
        if (e instanceof org.apache.http.conn.ConnectTimeoutException) {
            // no connection in time (connecting, or waiting for one of the pool): nothing was sent
            return new LinkUnavailableException(what + " cannot be reached (" + e.getMessage() + ")", e, true);
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return new LinkUnavailableException(what + " did not answer in time (" + e.getMessage() + ")", e);
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof CertificateException)) {
                cause = cause.getCause();
            }
            // no TLS session: no request went out on it (the peer, failing its side, takes none either)
            return new LinkUnavailableException(what + " refused the TLS handshake or is not the instance this one "
                    + "pins (" + cause.getMessage() + ")", e, true);
        }
        if (e instanceof SSLException) {
            return new LinkUnavailableException(what + ": TLS failed (" + e.getMessage() + "); is the address its link "
                    + "port (https, MEDSETTLE_LINK_PORT)?", e);
        }
        if (e instanceof IOException) {
            return new LinkUnavailableException(what + " cannot be reached (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e, notConnected(e));
        }
        return new LinkUnavailableException(what + " failed: " + e.getClass().getSimpleName(), e);
    }

    /**
     * Whether a transport failure happened before any connection was made (nothing listening, no route, an unknown
     * host), so that the message certainly did not go out. A connection reset or closed later is not this.
     */
    static boolean notConnected(Throwable failure) {
        return failure instanceof java.net.ConnectException || failure instanceof java.net.NoRouteToHostException
                || failure instanceof java.net.UnknownHostException
                || failure instanceof org.apache.http.conn.ConnectTimeoutException;
    }

    /**
     * Whether an answer says the receiver did not look at the message: 503 with {@link Wire#UNPROCESSED_HEADER} (its
     * link is going, or its insured place is being updated), or a 404/503 no medsettle instance answered (no link
     * endpoint there for a moment). A 404 ("no node for that province") or a 503 without the header that carries
     * {@link Wire#FROM_HEADER} is the receiving link's own answer, not this.
     */
    static boolean unprocessed(int status, Map<String, Object> headers) {
        return status == 503 && headers.containsKey(Wire.UNPROCESSED_HEADER)
                || (status == 404 || status == 503) && !headers.containsKey(Wire.FROM_HEADER);
    }

    /**
     * Whether an answer other than 200 says that nobody acted on the message: it carries
     * {@link Wire#UNDELIVERED_HEADER}. (A bare 502 or 504 of a balancer in front of the hub does not: the request may
     * have gone through it.)
     */
    static boolean undelivered(Map<String, Object> headers) {
        return headers.containsKey(Wire.UNDELIVERED_HEADER);
    }

    /** Step {@code link-post}: the answer checked; its body becomes the answer's {@code body}. */
    static void checkAnswer(Exchange exchange) throws IOException {
        String what = exchange.getProperty(WHAT, String.class);
        org.apache.camel.Message in = exchange.getIn();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body;
        try (InputStream stream = in.getBody(InputStream.class)) {
            body = stream == null ? new byte[0] : stream.readAllBytes();
        }
        if (unprocessed(status, in.getHeaders())) {
            throw new Unprocessed(what + " did not take the message now (HTTP " + status
                    + (in.getHeaders().containsKey(Wire.UNPROCESSED_HEADER) ? ", being updated" : ", no link endpoint")
                    + "); nothing was done",
                    // a bare 404/503 no medsettle link answered: no link endpoint there (nor a server behind a balancer)
                    undelivered(in.getHeaders()) || !in.getHeaders().containsKey(Wire.FROM_HEADER));
        }
        if (status != 200) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            String reason = text.length() > 300 ? text.substring(0, 300) : text;
            try {
                reason = WireJson.parse(body).path("refused").asText(reason);
            } catch (IllegalArgumentException notJson) {
                // keep the text
            }
            throw new LinkUnavailableException(what + " answered HTTP " + status + ": " + reason, null,
                    undelivered(in.getHeaders()));
        }
        JsonNode n;
        try {
            n = WireJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw new LinkUnavailableException(what + " answered something that is not JSON", e);
        }
        if (!n.path("ok").asBoolean()) {
            throw new Refused(n.path("refused").asText("refused without a reason"));
        }
        // the answer as received, for whoever passes it on unchanged (the hub: no second encoding)
        exchange.setProperty(ANSWER_BYTES, body);
        exchange.getMessage().setBody(n.path("body"));
    }
}
