package org.medsettle.treatment.internal.his;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A hospital's HIS in tests: builds envelopes, sends them to a node's HIS service, reads the answers. */
final class HisClient implements org.medsettle.tools.His {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Network.TreatmentNode node;
    final String hospital;

    private final org.medsettle.tools.HisEnvelopes envelopes;

    HisClient(Network.TreatmentNode node, String hospital) {
        this.node = node;
        this.hospital = hospital;
        this.envelopes = new org.medsettle.tools.HisEnvelopes(hospital, node.admdvs);
    }

    /** The national envelope, built as every HIS client of the project builds it. */
    ObjectNode envelope(String infno, String msgid, String insuplc, JsonNode input) {
        return envelopes.envelope(infno, msgid, insuplc, input);
    }

    /** The envelope of a request with a new msgid, to send (and send again). */
    ObjectNode envelope(String infno, String insuplc, JsonNode input) {
        return envelope(infno, node.msgid(hospital), insuplc, input);
    }

    /** The node this client sends to. */
    Network.TreatmentNode node() {
        return node;
    }

    @Override
    public String hospital() {
        return hospital;
    }

    @Override
    public JsonNode call(String infno, String insuplc, JsonNode input) {
        return send(envelope(infno, node.msgid(hospital), insuplc, input));
    }

    JsonNode send(JsonNode envelope) {
        try {
            return sendRaw(JSON.writeValueAsBytes(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode sendRaw(byte[] body) {
        try {
            return JSON.readTree(node.his.call(hospital, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The output of a successful call; fails the test with the node's err_msg otherwise. */
    static JsonNode ok(JsonNode answer) {
        if (!"0".equals(answer.path("infcode").asText())) {
            throw new AssertionError("infcode " + answer.path("infcode").asText() + ": " + answer.path("err_msg").asText());
        }
        return answer.path("output");
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
