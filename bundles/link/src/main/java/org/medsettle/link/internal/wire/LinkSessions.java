package org.medsettle.link.internal.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Link sessions: the authentication of messages between two instances (node → hub, hub → node) once they have
 * agreed a key.
 *
 * <p>Signing every message with Ed25519 at every hop cost eight signature operations per exchange (about 7 ms of CPU
 * here, the largest item in the profile of every instance under load, docs/performance.md). Instead, a sender opens
 * a session with each receiver once: a {@code SESSION} message carrying a fresh X25519 public key and a nonce,
 * signed with the sender's Ed25519 instance key as before; the receiver checks that signature with the key it
 * trusts for the sender, answers with its own fresh X25519 public key, the nonce and a session id, signed with its
 * instance key. Both derive the same 32-byte key (X25519, then HMAC-SHA256 as HKDF over both public keys, the
 * session id and both division codes). Every later message carries the session id ({@link #SESSION_HEADER}) and
 * an HMAC-SHA256 of its exact body ({@link #MAC_HEADER}); the answer carries an HMAC over the request's MAC and
 * its own body, so that an answer cannot be replayed for another request. A few microseconds instead of
 * milliseconds.
 *
 * <p>Sessions live in memory for {@link #LIFETIME}; a receiver that does not know a session (restarted, expired)
 * answers 401 with {@link #UNKNOWN_HEADER}, and the sender opens a new one and sends again once — the message was
 * not looked at, so sending it again is safe. Nothing changes for an administrator: the keys are still the
 * instances' Ed25519 keys ({@code medsettle:link-key}, {@code medsettle:hub-node-add}).
 */
public final class LinkSessions {

    public static final String SESSION_HEADER = "X-Medsettle-Session";
    public static final String MAC_HEADER = "X-Medsettle-Mac";
    /** Set on a 401 answer when the session named by the request is not (or no longer) known. */
    public static final String UNKNOWN_HEADER = "X-Medsettle-Session-Unknown";
    /** The message type that opens a session. */
    public static final String HANDSHAKE = "SESSION";
    public static final Duration LIFETIME = Duration.ofHours(1);
    /** At most this many sessions accepted at once; more handshakes are refused until some expire. */
    static final int MAX_ACCEPTED = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] REQUEST = {'Q'};
    private static final byte[] ANSWER = {'A'};

    /** An agreed key between this instance and {@code peer}. */
    public record Session(String id, String peer, byte[] key, Instant expires) {

        /** The MAC of a request body sent in this session (base64). */
        public String requestMac(byte[] body) {
            return Base64.getEncoder().encodeToString(mac(key, REQUEST, body));
        }

        /** The MAC of an answer to the request whose MAC was {@code requestMac} (base64). */
        public String answerMac(String requestMac, byte[] body) {
            return Base64.getEncoder().encodeToString(mac(key, ANSWER,
                    requestMac.getBytes(StandardCharsets.US_ASCII), body));
        }

        boolean checkRequest(byte[] body, String macBase64) {
            return equal(requestMac(body), macBase64);
        }

        public boolean checkAnswer(String requestMac, byte[] body, String macBase64) {
            return equal(answerMac(requestMac, body), macBase64);
        }
    }

    /** A sender's half-open session: its own ephemeral key pair and nonce, waiting for the receiver's answer. */
    public static final class Hello {
        private final KeyPair pair;
        private final String nonce;

        private Hello(KeyPair pair, String nonce) {
            this.pair = pair;
            this.nonce = nonce;
        }

        /** The body of the {@code SESSION} message. */
        public ObjectNode body() {
            ObjectNode o = WireJson.object();
            o.put("eph", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            o.put("nonce", nonce);
            return o;
        }
    }

    private final Clock clock;
    private final String self;
    private final Map<String, Session> accepted = new ConcurrentHashMap<>();
    private final Map<String, Session> opened = new ConcurrentHashMap<>();

    /** @param self this instance's division code */
    public LinkSessions(String self, Clock clock) {
        this.self = self;
        this.clock = clock;
    }

    // ---- sender side

    public static Hello hello() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        try {
            return new Hello(KeyPairGenerator.getInstance("X25519").generateKeyPair(), HexFormat.of().formatHex(nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /**
     * Completes a session from the receiver's (signature-checked) answer to {@code hello}, and keeps it for
     * messages to {@code receiverKey}.
     *
     * @param receiverKey what identifies the receiver for this sender (its URL); the receiver's division code is
     *                    the one in its signed answer
     * @throws IllegalArgumentException if the answer is not an answer to this hello
     */
    public Session complete(String receiverKey, Hello hello, JsonNode answer) {
        String receiver = answer.path("responder").asText("");
        if (!hello.nonce.equals(answer.path("nonce").asText())) {
            throw new IllegalArgumentException("the session answer does not answer this request (nonce)");
        }
        String id = answer.path("session").asText("");
        if (id.isEmpty() || receiver.isEmpty()) {
            throw new IllegalArgumentException("the session answer has no session id or responder");
        }
        byte[] theirs = decode(answer.path("eph").asText(""));
        byte[] key = derive(hello.pair.getPrivate(), theirs, hello.pair.getPublic().getEncoded(), theirs, id, self, receiver);
        Instant expires = clock.instant().plus(LIFETIME).minus(Duration.ofMinutes(1));
        Session session = new Session(id, receiver, key, expires);
        opened.put(receiverKey, session);
        return session;
    }

    /** The session this sender has with a receiver, if one is open and not about to expire. */
    public Optional<Session> opened(String receiverKey) {
        Session s = opened.get(receiverKey);
        if (s != null && s.expires().isBefore(clock.instant())) {
            opened.remove(receiverKey, s);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /** Forgets the session with a receiver (it said it does not know it). */
    public void drop(String receiverKey, Session session) {
        opened.remove(receiverKey, session);
    }

    // ---- receiver side

    /**
     * Accepts a handshake from {@code peer}, whose signature the caller has checked, and answers the body of the
     * signed answer.
     *
     * @throws IllegalArgumentException if the handshake is malformed
     * @throws IllegalStateException    if too many sessions are open
     */
    public ObjectNode accept(String peer, JsonNode hello) {
        String nonce = hello.path("nonce").asText("");
        if (nonce.isEmpty() || nonce.length() > 64) {
            throw new IllegalArgumentException("a session request needs a nonce");
        }
        byte[] theirs = decode(hello.path("eph").asText(""));
        if (accepted.size() >= MAX_ACCEPTED) {
            purge();
            if (accepted.size() >= MAX_ACCEPTED) {
                throw new IllegalStateException("too many open link sessions (" + accepted.size() + ")");
            }
        }
        KeyPair mine;
        try {
            mine = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
        byte[] idBytes = new byte[18];
        RANDOM.nextBytes(idBytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        byte[] key = derive(mine.getPrivate(), theirs, theirs, mine.getPublic().getEncoded(), id, peer, self);
        accepted.put(id, new Session(id, peer, key, clock.instant().plus(LIFETIME)));
        ObjectNode answer = WireJson.object();
        answer.put("session", id);
        answer.put("responder", self);
        answer.put("eph", Base64.getEncoder().encodeToString(mine.getPublic().getEncoded()));
        answer.put("nonce", nonce);
        answer.put("expires", clock.instant().plus(LIFETIME).toString());
        return answer;
    }

    /** The accepted session named {@code id}, if known and not expired. */
    public Optional<Session> accepted(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = accepted.get(id.strip());
        if (s == null) {
            return Optional.empty();
        }
        if (s.expires().isBefore(clock.instant())) {
            accepted.remove(s.id());
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Whether {@code body} was sent in {@code session} ({@code mac} is the request's MAC header). */
    public static boolean checkRequest(Session session, byte[] body, String mac) {
        return mac != null && session.checkRequest(body, mac.strip());
    }

    /** Forgets every session accepted from {@code peer} (its key was changed at the hub). */
    public void forget(String peer) {
        accepted.values().removeIf(s -> s.peer().equals(peer));
        opened.values().removeIf(s -> s.peer().equals(peer));
    }

    /** Sessions accepted and opened now, for {@code medsettle:link-status} and tests. */
    public int acceptedCount() {
        purge();
        return accepted.size();
    }

    public int openedCount() {
        return opened.size();
    }

    private void purge() {
        Instant now = clock.instant();
        accepted.values().removeIf(s -> s.expires().isBefore(now));
    }

    // ---- crypto

    private static byte[] decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length == 0 || bytes.length > 128) {
                throw new IllegalArgumentException("not an X25519 public key");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an X25519 public key (base64)");
        }
    }

    private static byte[] derive(PrivateKey mine, byte[] theirs, byte[] initiatorEph, byte[] responderEph, String id,
                                 String initiator, String responder) {
        try {
            PublicKey their = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(theirs));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(mine);
            agreement.doPhase(their, true);
            byte[] shared = agreement.generateSecret();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(initiatorEph);
            sha.update(responderEph);
            byte[] salt = sha.digest();
            byte[] prk = mac(salt, shared);
            return mac(prk, ("medsettle-link-v1|" + id + "|" + initiator + "|" + responder + "\u0001")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new IllegalArgumentException("the session key cannot be agreed: " + e.getMessage());
        }
    }

    private static byte[] mac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
