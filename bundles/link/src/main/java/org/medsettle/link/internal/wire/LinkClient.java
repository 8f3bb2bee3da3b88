package org.medsettle.link.internal.wire;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.link.LinkUnavailableException;

/**
 * Sends messages to ONE other instance (the hub, or on the hub one node) over mutual TLS: this instance presents its
 * link certificate, and accepts only the peer's pinned certificate ({@link PinnedCertificates}). Connections are kept
 * alive between messages (the JDK's HTTP client pools them). Every failure to get an answer is a
 * {@link LinkUnavailableException} naming what failed; a business refusal of the far side is a {@link Refused}.
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

        public Unprocessed(String message) {
            super(message, null);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkClient.class);

    private final HttpClient http;
    private final Admdvs self;
    private final URI base;
    private final java.util.Set<String> pins;

    /**
     * A client of the instance at {@code base} whose link certificate has one of the SHA-256 fingerprints
     * {@code pins}.
     *
     * @param timeoutMillis the configured timeout of an exchange; connecting waits at least 200 ms
     */
    public LinkClient(CamelContext camel, LinkCertificate mine, Admdvs self, URI base, java.util.Set<String> pins,
                      String peer, long timeoutMillis) {
        this.self = self;
        this.base = base;
        this.pins = java.util.Set.copyOf(pins);
        SSLParameters tls = new SSLParameters();
        tls.setProtocols(new String[] {"TLSv1.3"});
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(camel, mine, this.pins, peer)).sslParameters(tls)
                .connectTimeout(Duration.ofMillis(Math.max(200, timeoutMillis))).build();
    }

    /**
     * The TLS context of a link client, through Camel's {@code SSLContextParameters}: key manager from this
     * instance's key store, trust manager pinned to the peer.
     */
    static SSLContext sslContext(CamelContext camel, LinkCertificate mine, java.util.Set<String> pins, String peer) {
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
        try {
            return parameters.createSSLContext(camel);
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new LinkUnavailableException("cannot set up TLS with " + mine.keyStore() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** The address this client sends to. */
    public URI base() {
        return base;
    }

    /** The fingerprints this client accepts of the peer. */
    public java.util.Set<String> pins() {
        return pins;
    }

    /** Sends {@code message} and answers the body of the answer. */
    public JsonNode exchange(byte[] message, Duration timeout, String what) {
        return answer(send(request(message, timeout).build(), timeout, what), what);
    }

    /**
     * {@link #exchange} of a message built afresh for every attempt ({@code message} gives it a new {@code sent_at}
     * and nonce: the first attempt's nonce may have been recorded by the hub), sent again while the answer is
     * {@link Unprocessed} — the receiver or the hub is being updated — for up to {@code grace}, with Camel's
     * redelivery policy ({@code redelivery}) between attempts. An answer that was looked at, a refusal or a
     * time-out is never sent again here.
     */
    public JsonNode exchange(java.util.function.Supplier<byte[]> message, Duration timeout, String what, Duration grace,
                             RedeliveryPolicy redelivery) {
        return redelivered(() -> exchange(message.get(), timeout, what), what, grace, redelivery);
    }

    /**
     * {@code attempt} made again while it throws {@link Unprocessed}, for up to {@code grace}, with
     * {@code redelivery}'s delays between attempts; any other outcome is final.
     */
    static <T> T redelivered(java.util.function.Supplier<T> attempt, String what, Duration grace,
                             RedeliveryPolicy redelivery) {
        long start = System.nanoTime();
        long delay = 0;
        for (int n = 1; ; n++) {
            try {
                T answer = attempt.get();
                if (n > 1) {
                    LOG.info("{} answered at attempt {}, {} ms after the first (it was being updated)", what, n,
                            (System.nanoTime() - start) / 1_000_000);
                }
                return answer;
            } catch (Unprocessed e) {
                delay = redelivery.calculateRedeliveryDelay(delay, n);
                if (Duration.ofNanos(System.nanoTime() - start).plusMillis(delay).compareTo(grace) > 0) {
                    throw new LinkUnavailableException(e.getMessage() + "; still so after " + n + " attempts in "
                            + (System.nanoTime() - start) / 1_000_000 + " ms", e);
                }
                try {
                    redelivery.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new LinkUnavailableException("interrupted while waiting for " + what, interrupted);
                }
            }
        }
    }

    /**
     * The redelivery between attempts at a receiver being updated: 25 ms, doubling, at most 500 ms apart (an update
     * of a link bundle takes about a second).
     */
    public static RedeliveryPolicy updateRedelivery() {
        return new RedeliveryPolicy().redeliveryDelay(25).useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(500).maximumRedeliveries(-1);
    }

    private HttpRequest.Builder request(byte[] message, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(Wire.PATH))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(Wire.FROM_HEADER, self.code())
                .POST(HttpRequest.BodyPublishers.ofByteArray(message));
    }

    private HttpResponse<byte[]> send(HttpRequest request, Duration timeout, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new LinkUnavailableException(what + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (SSLHandshakeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof java.security.cert.CertificateException)) {
                cause = cause.getCause();
            }
            throw new LinkUnavailableException(what + " refused the TLS handshake or is not the instance this one "
                    + "pins (" + cause.getMessage() + ")", e);
        } catch (javax.net.ssl.SSLException e) {
            throw new LinkUnavailableException(what + ": TLS failed (" + e.getMessage() + "); is the address its link "
                    + "port (https, MEDSETTLE_LINK_PORT)?", e);
        } catch (IOException e) {
            throw new LinkUnavailableException(what + " cannot be reached (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkUnavailableException("interrupted while waiting for " + what, e);
        }
    }

    /**
     * Whether an answer says the receiver did not look at the message: 503 with {@link Wire#UNPROCESSED_HEADER} (its
     * link is going, or its insured place is being updated), or a 404/503 no medsettle instance answered (no link
     * endpoint there for a moment). A 404 ("no node for that province") or a 503 without the header that carries
     * {@link Wire#FROM_HEADER} is the receiving link's own answer, not this.
     */
    static boolean unprocessed(int status, java.net.http.HttpHeaders headers) {
        return status == 503 && headers.firstValue(Wire.UNPROCESSED_HEADER).isPresent()
                || (status == 404 || status == 503) && headers.firstValue(Wire.FROM_HEADER).isEmpty();
    }

    /** The body of an answer (the TLS session says who answered). */
    static JsonNode answer(HttpResponse<byte[]> response, String what) {
        if (unprocessed(response.statusCode(), response.headers())) {
            throw new Unprocessed(what + " did not take the message now (HTTP " + response.statusCode()
                    + (response.headers().firstValue(Wire.UNPROCESSED_HEADER).isPresent()
                    ? ", being updated" : ", no link endpoint") + "); nothing was done");
        }
        if (response.statusCode() != 200) {
            String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            String reason = text.length() > 300 ? text.substring(0, 300) : text;
            try {
                JsonNode n = WireJson.parse(response.body());
                reason = n.path("refused").asText(reason);
            } catch (IllegalArgumentException notJson) {
                // keep the text
            }
            throw new LinkUnavailableException(what + " answered HTTP " + response.statusCode() + ": " + reason, null);
        }
        JsonNode n;
        try {
            n = WireJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new LinkUnavailableException(what + " answered something that is not JSON", e);
        }
        if (!n.path("ok").asBoolean()) {
            throw new Refused(n.path("refused").asText("refused without a reason"));
        }
        return n.path("body");
    }
}
