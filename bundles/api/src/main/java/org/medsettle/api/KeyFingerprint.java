package org.medsettle.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * How a secret key is shown to people: {@code SHA256:} and the unpadded base64 of its SHA-256, as OpenSSH shows
 * keys. Two fingerprints are equal exactly when the keys are; the key cannot be recovered from one.
 */
public final class KeyFingerprint {

    private KeyFingerprint() {
    }

    public static String of(byte[] key) {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The fingerprint of a key given in base64. */
    public static String ofBase64(String keyBase64) {
        return of(Base64.getDecoder().decode(keyBase64.strip()));
    }
}
