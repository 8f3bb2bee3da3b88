package org.medsettle.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP with HMAC-SHA256 request signatures, as the README describes them for HIS vendors and filing clients.
 *
 * <p>Requests are described with the JDK's {@link HttpRequest.Builder} (its URI and headers) and sent with
 * {@link HttpURLConnection}: blocking, on the caller's thread, over kept-alive connections (the JDK keeps 5 idle ones
 * per node unless {@code http.maxConnections} says otherwise; the load driver sets {@value #KEPT_CONNECTIONS} in its
 * {@code main}, a JVM-wide setting that is the program's to make, not this class's). The JDK's {@code HttpClient}
 * hands every request and answer between the caller, its selector thread and its executor: measured in the load
 * driver (issue 15, session 31), its threads took two fifths of the driver's CPU and a whole stay's five requests
 * cost the driver about 0.85 ms of CPU.
 *
 * <p>This is a client of the outside parties the appliance serves — a hospital's HIS, an agency's filing system — as
 * the README documents their side; the appliance's own HTTP (between its instances, to integrations) goes through
 * Camel producers ({@code LinkClient}), not through this class.
 */
public final class Signed {

    /** Amounts keep their two decimals both ways: read as exact decimals, never as doubles, never normalised. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    /**
     * Idle connections to keep per node in a program that sends from many threads ({@link LoadDriver#main}: {@code
     * http.maxConnections}): as many as the load driver's clerks at most, so that none of them connects again for
     * each request.
     */
    static final int KEPT_CONNECTIONS = 64;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /** An answer: the HTTP status and the JSON body. */
    public record Answer(int status, JsonNode body) {
    }

    private Signed() {
    }

    static String hmacHex(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] key(String base64) {
        return Base64.getDecoder().decode(base64.strip());
    }

    static Answer send(HttpRequest.Builder request, byte[] body) {
        HttpRequest r = request.POST(HttpRequest.BodyPublishers.noBody()).build();
        return exchange(r.uri(), "POST", r.headers().map(), body);
    }

    static Answer get(HttpRequest.Builder request) {
        HttpRequest r = request.GET().build();
        return exchange(r.uri(), "GET", r.headers().map(), null);
    }

    /**
     * One request and its answer: {@code body} (if not null) sent with its length, the answer read whole, also when
     * its status is an error (so that the connection is kept for the next request).
     */
    static Answer exchange(URI uri, String method, java.util.Map<String, java.util.List<String>> headers, byte[] body) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) ANSWER_TIMEOUT.toMillis());
            c.setRequestMethod(method);
            c.setUseCaches(false);
            headers.forEach((name, values) -> values.forEach(v -> c.addRequestProperty(name, v)));
            if (body != null) {
                // not in streaming mode: a kept-alive connection the node has closed meanwhile is then replaced and
                // the request sent on a new one (the JDK does it once, before any answer came)
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            byte[] answer;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            return new Answer(status, parse(answer));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + uri + ": " + e.getMessage(), e);
        }
    }

    static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
    }

    static URI uri(String base, String path) {
        return URI.create(base.replaceAll("/+$", "") + path);
    }
}
