package org.medsettle.link.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;

/**
 * Messages between instances: {@code POST https://<instance>:<MEDSETTLE_LINK_PORT>/medsettle/link/v1} over mutual
 * TLS (each side presents its link certificate; each pins the other's, {@link PinnedCertificates}), with the body
 * {@code {"msg_id","type","from","to","sent_at","nonce","body":{...}}} ({@code sent_at} the sender's clock,
 * ISO-8601; {@code nonce} 16 random bytes, new for every message: see {@link ReplayGuard}) and the sender's
 * division code in {@code X-Medsettle-From}. Answers: {@code {"ok":true,"body":{...}}}, or
 * {@code {"ok":false,"refused":"..."}} for a business refusal, with the answering instance's code in
 * {@code X-Medsettle-From}.
 */
public final class Wire {

    public static final String ALIAS = "/medsettle/link";
    /** The header carrying the sender's (or the answering instance's) division code. */
    public static final String FROM_HEADER = "X-Medsettle-From";
    /**
     * On a 503 answer: the receiver did not look at the message (its link is being updated); the sender may send it
     * again. Also passed on by the hub when the node it forwarded to answered so.
     */
    public static final String UNPROCESSED_HEADER = "X-Medsettle-Unprocessed";
    /**
     * On an answer other than 200: the message certainly reached nobody who acted on it — a receiver that did not look
     * at it (with {@link #UNPROCESSED_HEADER}), the hub refusing it itself, or the hub answering that the receiving
     * node cannot be reached (nothing listening there). Without it, a failed exchange may have been acted on (a
     * time-out, a connection lost after the message went out), as with an instance older than this header.
     */
    public static final String UNDELIVERED_HEADER = "X-Medsettle-Undelivered";
    public static final String PATH = ALIAS + "/v1";

    /** Marks {@code answer} "not looked at, nothing was done: send it again" (503 and its two headers). */
    public static void notLookedAt(org.apache.camel.Message answer) {
        answer.setHeader(UNPROCESSED_HEADER, "true");
        undelivered(answer, true);
    }

    /**
     * Marks a failed {@code answer} "the message certainly reached nobody who acted on it" ({@link #UNDELIVERED_HEADER})
     * when {@code certainly}; leaves it unmarked ("may have been acted on") otherwise.
     */
    public static void undelivered(org.apache.camel.Message answer, boolean certainly) {
        if (certainly) {
            answer.setHeader(UNDELIVERED_HEADER, "true");
        }
    }
    /** The division code of the hub itself: "the hub decides where this goes". */
    public static final Admdvs NATIONAL = Admdvs.of("100000");

    public record Received(String msgId, String type, Admdvs from, Admdvs to, JsonNode body, java.time.Instant sentAt,
                           String nonce) {

        /** A message taken out of a batch: it travelled inside {@code batch}, whose time and nonce were checked. */
        public Received(String msgId, String type, Admdvs from, Admdvs to, JsonNode body) {
            this(msgId, type, from, to, body, null, null);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private Wire() {
    }

    public static byte[] message(String msgId, String type, Admdvs from, Admdvs to, JsonNode body) {
        ObjectNode o = WireJson.object();
        o.put("msg_id", msgId);
        o.put("type", type);
        o.put("from", from.code());
        o.put("to", to.code());
        o.put("sent_at", java.time.Instant.now().toString());
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        o.put("nonce", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
        o.set("body", body);
        return WireJson.bytes(o);
    }

    /** @throws IllegalArgumentException if the bytes are not a message */
    public static Received read(byte[] bytes) {
        JsonNode n = WireJson.parse(bytes);
        if (!n.isObject() || !n.hasNonNull("msg_id") || !n.hasNonNull("type") || !n.hasNonNull("from")
                || !n.hasNonNull("to") || !n.has("body") || !n.hasNonNull("sent_at") || !n.hasNonNull("nonce")) {
            throw new IllegalArgumentException(NOT_A_MESSAGE);
        }
        return received(n.get("msg_id").asText(), n.get("type").asText(), n.get("from").asText(),
                n.get("to").asText(), n.get("body"), n.get("sent_at").asText(), n.get("nonce").asText());
    }

    /**
     * The envelope of a link message, its body skipped, not parsed ({@link Received#body()} is null): what the hub needs
     * of a message it forwards as it came. The same checks as {@link #read}, but the envelope's fields must be scalars.
     */
    public static Received readEnvelope(byte[] bytes) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        boolean body = false;
        try (com.fasterxml.jackson.core.JsonParser p = WireJson.JSON.getFactory().createParser(bytes)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(NOT_A_MESSAGE);
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if ("body".equals(name)) {
                    body = true;
                } else if (value.isScalarValue() && value != com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
                    fields.put(name, p.getValueAsString());
                } else {
                    fields.remove(name);
                }
                p.skipChildren();
            }
            if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException(NOT_A_MESSAGE);
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        for (String required : java.util.List.of("msg_id", "type", "from", "to", "sent_at", "nonce")) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException(NOT_A_MESSAGE);
            }
        }
        if (!body) {
            throw new IllegalArgumentException(NOT_A_MESSAGE);
        }
        return received(fields.get("msg_id"), fields.get("type"), fields.get("from"), fields.get("to"), null,
                fields.get("sent_at"), fields.get("nonce"));
    }

    private static final String NOT_A_MESSAGE = "not a link message (msg_id, type, from, to, sent_at, nonce, body)";

    private static Received received(String msgId, String type, String from, String to, JsonNode body, String sentAt,
                                     String nonce) {
        java.time.Instant at;
        try {
            at = java.time.Instant.parse(sentAt);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("sent_at: not an ISO-8601 instant");
        }
        if (nonce.length() < 16 || nonce.length() > 64) {
            throw new IllegalArgumentException("nonce: 16 to 64 characters");
        }
        return new Received(msgId, type, Admdvs.of(from), Admdvs.of(to), body, at, nonce);
    }

    public static byte[] ok(JsonNode body) {
        ObjectNode o = WireJson.object();
        o.put("ok", true);
        o.set("body", body);
        return WireJson.bytes(o);
    }

    public static byte[] refused(String reason) {
        ObjectNode o = WireJson.object();
        o.put("ok", false);
        o.put("refused", reason);
        return WireJson.bytes(o);
    }

    /** A new message id of the instance {@code self}. */
    public static String newMsgId(Admdvs self) {
        return self.code() + "-" + java.util.UUID.randomUUID();
    }

    /** What the hub's index keeps of a person: a SHA-256 of kind and number, never the number itself. */
    public static String indexKey(String kind, String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                    (kind + ":" + value.strip().toUpperCase(java.util.Locale.ROOT))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
