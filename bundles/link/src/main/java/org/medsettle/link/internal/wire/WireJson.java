package org.medsettle.link.internal.wire;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON of link messages. This package is shared by the link and the hub: the hub's bundle carries its own copy
 * (bnd conditional package), so that only the api bundle exports anything.
 */
public final class WireJson {

    public static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private WireJson() {
    }

    /** @throws IllegalArgumentException if the bytes are not JSON */
    public static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
