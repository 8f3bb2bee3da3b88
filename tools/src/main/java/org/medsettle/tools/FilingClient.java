package org.medsettle.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An online service or the agency's counter using a node's filing API ({@code /medsettle/api/filings}), signed
 * with the client's key: {@code X-Medsettle-Timestamp} (seconds since 1970), a new {@code X-Medsettle-Nonce} for
 * every request, and {@code hex(HMAC-SHA256(key, METHOD + " " + path?query + "\n" + timestamp + "\n" + nonce + "\n"
 * + body))}.
 */
public final class FilingClient {

    public static final String PATH = "/medsettle/api/filings";

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final String url;
    private final String client;
    private final byte[] key;

    public FilingClient(String nodeUrl, String client, String keyBase64) {
        this.url = nodeUrl;
        this.client = client;
        this.key = Signed.key(keyBase64);
    }

    /** Files: {@code {"psn_no","category","mdtrtarea_admvs","valid_from","valid_to","evidence","operator",...}}. */
    public Signed.Answer file(JsonNode filing) {
        return post(PATH, filing);
    }

    public Signed.Answer cancel(String filingId, JsonNode reason) {
        return post(PATH + "/" + filingId + "/cancel", reason);
    }

    public Signed.Answer forPerson(String psnNo) {
        return get(PATH + "?psn_no=" + psnNo);
    }

    public Signed.Answer show(String filingId) {
        return get(PATH + "/" + filingId);
    }

    private Signed.Answer post(String path, JsonNode body) {
        return preparePost(path, body).send();
    }

    /** A signed POST exactly as it goes on the wire; each {@link #send()} sends the same bytes and headers. */
    public final class Prepared {
        private final HttpRequest.Builder request;
        private final byte[] body;

        private Prepared(HttpRequest.Builder request, byte[] body) {
            this.request = request;
            this.body = body;
        }

        public Signed.Answer send() {
            return Signed.send(request, body);
        }
    }

    /** Signs a POST of {@code body} to {@code path} (e.g. {@link #PATH}) once, to be sent (and sent again) later. */
    public Prepared preparePost(String path, JsonNode body) {
        try {
            byte[] bytes = Signed.JSON.writeValueAsBytes(body);
            return new Prepared(request("POST", path, bytes).header("Content-Type", "application/json"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Signed.Answer get(String path) {
        return Signed.get(request("GET", path, new byte[0]));
    }

    private HttpRequest.Builder request(String method, String path, byte[] body) {
        URI uri = Signed.uri(url, path);
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String timestamp = Long.toString(java.time.Instant.now().getEpochSecond());
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        String nonce = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return HttpRequest.newBuilder(uri)
                .header("X-Medsettle-Client", client)
                .header("X-Medsettle-Timestamp", timestamp)
                .header("X-Medsettle-Nonce", nonce)
                .header("X-Medsettle-Signature", Signed.hmacHex(key, (method + " " + target + "\n" + timestamp + "\n"
                        + nonce + "\n").getBytes(StandardCharsets.UTF_8), body));
    }
}
