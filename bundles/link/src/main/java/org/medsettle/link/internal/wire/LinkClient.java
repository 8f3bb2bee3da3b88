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

import com.fasterxml.jackson.databind.JsonNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.InstanceKeys;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.Signatures;

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

    private final HttpClient http;
    private final InstanceKeys keys;
    private final Admdvs self;

    public LinkClient(InstanceKeys keys, Admdvs self, Duration connectTimeout) {
        this.keys = keys;
        this.self = self;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
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

    /** Posts bytes with a given signature (the hub passes on a node's own signature unchanged). */
    public HttpResponse<byte[]> post(URI base, byte[] message, byte[] signature, Duration timeout, String what) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(Wire.PATH))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(Signatures.FROM_HEADER, self.code())
                .header(Signatures.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signature))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message))
                .build();
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

    /** The checked body of an answer. */
    public static JsonNode answer(HttpResponse<byte[]> response, String answerKey, String what) {
        String signature = response.headers().firstValue(Signatures.SIGNATURE_HEADER).orElse("");
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
        if (!Signatures.verify(answerKey, response.body(), signature)) {
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
