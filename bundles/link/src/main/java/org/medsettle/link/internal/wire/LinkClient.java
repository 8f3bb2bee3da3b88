package org.medsettle.link.internal.wire;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.InstanceKeys;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.Signatures;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * Sends signed messages over HTTP and checks the signature of the answer. Every failure to get a trustworthy
 * answer is a {@link LinkUnavailableException} naming what failed; a business refusal of the far side is a
 * {@link Refused}.
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
     * medsettle instance signed) — so sending it again is safe.
     */
    public static final class Unprocessed extends LinkUnavailableException {
        private static final long serialVersionUID = 1L;

        public Unprocessed(String message) {
            super(message, null);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkClient.class);

    private final HttpClient http;
    private final InstanceKeys keys;
    private final Admdvs self;
    private final LinkSessions sessions;

    /** @param timeoutMillis the configured timeout of an exchange; connecting waits at least 200 ms */
    public LinkClient(InstanceKeys keys, Admdvs self, long timeoutMillis) {
        this.keys = keys;
        this.self = self;
        this.sessions = new LinkSessions(self.code(), java.time.Clock.systemUTC());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Math.max(200, timeoutMillis))).build();
    }

    /** This instance's link sessions: those it opened, and those others opened with it (answered by its endpoint). */
    public LinkSessions sessions() {
        return sessions;
    }

    /**
     * Sends {@code message} to the instance at {@code base} in a link session (opened first, by a signed handshake
     * checked with {@code answerKey}, if there is none) and answers the body of its answer.
     *
     * @param to the division code the handshake is addressed to (the hub: {@link Wire#NATIONAL})
     */
    public JsonNode exchange(URI base, Admdvs to, byte[] message, String answerKey, Duration timeout, String what) {
        String receiverKey = base.toString();
        for (int attempt = 1; ; attempt++) {
            LinkSessions.Session session = sessions.opened(receiverKey)
                    .orElseGet(() -> open(base, to, answerKey, timeout, what));
            String mac = session.requestMac(message);
            HttpRequest request = request(base, message, timeout)
                    .header(LinkSessions.SESSION_HEADER, session.id())
                    .header(LinkSessions.MAC_HEADER, mac)
                    .build();
            HttpResponse<byte[]> response = send(request, timeout, what);
            if (response.statusCode() == 401 && response.headers().firstValue(LinkSessions.UNKNOWN_HEADER).isPresent()
                    && attempt == 1) {
                // the receiver restarted or expired the session; the message was not looked at: open a new one
                sessions.drop(receiverKey, session);
                continue;
            }
            return answer(response, r -> session.checkAnswer(mac, r.body(),
                    r.headers().firstValue(LinkSessions.MAC_HEADER).orElse("")), what);
        }
    }

    private LinkSessions.Session open(URI base, Admdvs to, String answerKey, Duration timeout, String what) {
        LinkSessions.Hello hello = LinkSessions.hello();
        JsonNode answer = send(base, Wire.message(newMsgId(), LinkSessions.HANDSHAKE, self, to, hello.body()), answerKey,
                timeout, what);
        try {
            LinkSessions.Session session = sessions.complete(base.toString(), hello, answer);
            LOG.info("Link session opened with {} ({}) until {}", session.peer(), base, session.expires());
            return session;
        } catch (IllegalArgumentException e) {
            throw new LinkUnavailableException(what + " answered the session request wrongly: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #exchange} of a message built afresh for every attempt ({@code message} gives it a new {@code sent_at}
     * and nonce: the first attempt's nonce may have been recorded by the hub), sent again while the answer is
     * {@link Unprocessed} — the receiver or the hub is being updated — for up to {@code grace}, with Camel's
     * redelivery policy ({@code redelivery}) between attempts. An answer that was looked at, a refusal or a
     * time-out is never sent again here.
     */
    public JsonNode exchange(URI base, Admdvs to, java.util.function.Supplier<byte[]> message, String answerKey,
                             Duration timeout, String what, Duration grace, RedeliveryPolicy redelivery) {
        return redelivered(() -> exchange(base, to, message.get(), answerKey, timeout, what), what, grace, redelivery);
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

    /** A new message id of this instance. */
    public String newMsgId() {
        return self.code() + "-" + UUID.randomUUID();
    }

    /**
     * Sends {@code message} (already built, signed here) to {@code base} and answers the body of the answer.
     *
     * @param answerKey the public key the answer must be signed with
     * @param what      for messages: who is asked, e.g. "the national hub at http://..."
     */
    public JsonNode send(URI base, byte[] message, String answerKey, Duration timeout, String what) {
        HttpResponse<byte[]> response = post(base, message, keys.sign(message), timeout, what);
        return answer(response, answerKey, what);
    }

    /** Posts bytes with their Ed25519 signature. */
    private HttpResponse<byte[]> post(URI base, byte[] message, byte[] signature, Duration timeout, String what) {
        return send(request(base, message, timeout)
                .header(Signatures.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signature)).build(), timeout, what);
    }

    private HttpRequest.Builder request(URI base, byte[] message, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(Wire.PATH))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(Signatures.FROM_HEADER, self.code())
                .POST(HttpRequest.BodyPublishers.ofByteArray(message));
    }

    private HttpResponse<byte[]> send(HttpRequest request, Duration timeout, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new LinkUnavailableException(what + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new LinkUnavailableException(what + " cannot be reached (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkUnavailableException("interrupted while waiting for " + what, e);
        }
    }

    /** The checked body of an answer signed with Ed25519. */
    public static JsonNode answer(HttpResponse<byte[]> response, String answerKey, String what) {
        return answer(response, r -> Signatures.verify(answerKey, r.body(),
                r.headers().firstValue(Signatures.SIGNATURE_HEADER).orElse("")), what);
    }

    /**
     * Whether an answer says the receiver did not look at the message: 503 with {@link Wire#UNPROCESSED_HEADER} (its
     * link is going, or its insured place is being updated), or a 404/503 no medsettle instance answered (no link
     * endpoint there for a moment). A signed 404 ("no node for that province") or a signed 503 without the header
     * is the receiver's own answer, not this.
     */
    static boolean unprocessed(int status, java.net.http.HttpHeaders headers) {
        return status == 503 && headers.firstValue(Wire.UNPROCESSED_HEADER).isPresent()
                || (status == 404 || status == 503) && headers.firstValue(Signatures.FROM_HEADER).isEmpty();
    }

    /** The checked body of an answer: {@code authentic} decides whether it comes from the receiver. */
    private static JsonNode answer(HttpResponse<byte[]> response, Predicate<HttpResponse<byte[]>> authentic, String what) {
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
        if (!authentic.test(response)) {
            throw new LinkUnavailableException("the answer of " + what + " does not carry a valid signature; "
                    + "check the keys (medsettle:link-status)", null);
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
