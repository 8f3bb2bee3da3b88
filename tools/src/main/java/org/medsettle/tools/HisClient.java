package org.medsettle.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A hospital's HIS talking to a node: {@code POST /fsi/api/rsfComIfsService/callService} with the national
 * envelope, signed with the hospital's key ({@code X-Medsettle-Hospital}, {@code X-Medsettle-Signature}).
 */
public final class HisClient implements His {

    public static final String PATH = "/fsi/api/rsfComIfsService/callService";
    private static final List<String> JSON_UTF8 = List.of("application/json; charset=UTF-8");

    /** The node's HIS address, parsed once rather than for every request. */
    private final java.net.URI uri;
    private final HisEnvelopes envelopes;
    private final byte[] key;

    /**
     * @param nodeUrl        e.g. {@code http://127.0.0.1:8181}
     * @param hospital       the {@code fixmedins_code}
     * @param keyBase64      the hospital's key ({@code medsettle:hospital-key} on the node)
     * @param treatmentPlace the node's division code ({@code mdtrtarea_admvs})
     */
    public HisClient(String nodeUrl, String hospital, String keyBase64, String treatmentPlace) {
        this.uri = Signed.uri(nodeUrl, PATH);
        this.envelopes = new HisEnvelopes(hospital, treatmentPlace);
        this.key = Signed.key(keyBase64);
    }

    @Override
    public String hospital() {
        return envelopes.hospital();
    }

    /** A fresh msgid: fixmedins_code + yyyyMMddHHmmss + 4-digit sequence. */
    public String newMsgid() {
        return envelopes.newMsgid();
    }

    public ObjectNode envelope(String infno, String msgid, String insuplc, JsonNode input) {
        return envelopes.envelope(infno, msgid, insuplc, input);
    }

    /** Sends one transaction and answers the response envelope. */
    @Override
    public JsonNode call(String infno, String insuplc, JsonNode input) {
        return send(envelope(infno, newMsgid(), insuplc, input)).body();
    }

    public Signed.Answer send(JsonNode envelope) {
        try {
            return sendRaw(Signed.JSON.writeValueAsBytes(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends bytes as they are, signed. */
    public Signed.Answer sendRaw(byte[] body) {
        return Signed.exchange(uri, "POST", Map.of("Content-Type", JSON_UTF8,
                "X-Medsettle-Hospital", List.of(envelopes.hospital()),
                "X-Medsettle-Signature", List.of(Signed.hmacHex(key, body))), body);
    }

    /** The output of a successful answer; an exception with the node's err_msg otherwise. */
    public static JsonNode ok(JsonNode answer) {
        if (!"0".equals(answer.path("infcode").asText())) {
            throw new IllegalStateException("infcode " + answer.path("infcode").asText() + ": " + answer.path("err_msg").asText());
        }
        return answer.path("output");
    }
}
