package org.medsettle.api.link;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/** Checking Ed25519 signatures of messages between instances (JDK only). */
public final class Signatures {

    /** The header carrying the sender's division code. */
    public static final String FROM_HEADER = "X-Medsettle-From";
    /** The header carrying the base64 Ed25519 signature of the body. */
    public static final String SIGNATURE_HEADER = "X-Medsettle-Signature";

    private Signatures() {
    }

    /** Whether {@code signatureBase64} is a signature of {@code data} by the key {@code publicKeyBase64}. */
    public static boolean verify(String publicKeyBase64, byte[] data, String signatureBase64) {
        if (publicKeyBase64 == null || publicKeyBase64.isBlank() || signatureBase64 == null || signatureBase64.isBlank()) {
            return false;
        }
        try {
            PublicKey key = publicKey(publicKeyBase64);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(Base64.getDecoder().decode(signatureBase64.strip()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses a base64 X.509 Ed25519 public key. */
    public static PublicKey publicKey(String base64) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
    }

    /** A short fingerprint of a public key for people: the first 16 hex digits of its SHA-256. */
    public static String fingerprint(String publicKeyBase64) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(publicKeyBase64.strip()));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "invalid";
        }
    }
}
