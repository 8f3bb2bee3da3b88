package org.medsettle.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An online service or the agency's counter using a node's filing API ({@code /medsettle/api/filings}), signed
 * with the client's key: {@code hex(HMAC-SHA256(key, METHOD + " " + path?query + "\n" + body))}.
 */
public final class FilingClient {

    public static final String PATH = "/medsettle/api/filings";

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
        try {
            byte[] bytes = Signed.JSON.writeValueAsBytes(body);
            return Signed.send(request("POST", path, bytes).header("Content-Type", "application/json"), bytes);
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
        return HttpRequest.newBuilder(uri)
                .header("X-Medsettle-Client", client)
                .header("X-Medsettle-Signature", Signed.hmacHex(key, (method + " " + target + "\n")
                        .getBytes(StandardCharsets.UTF_8), body));
    }
}
