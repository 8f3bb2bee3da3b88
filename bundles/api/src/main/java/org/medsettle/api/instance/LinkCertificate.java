package org.medsettle.api.instance;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * This instance's certificate on the national link: the key and self-signed certificate in
 * {@code etc/keys/link.p12}, made by {@code bin/setenv} (keytool) at the first start. The link's TLS port
 * ({@code MEDSETTLE_LINK_PORT}) presents it as the server's certificate, and the instance presents it as its client
 * certificate when it calls another instance (mutual TLS). The other side trusts it by its SHA-256 fingerprint: the
 * hub's directory holds each node's, each node holds the hub's ({@code MEDSETTLE_HUB_CERT}).
 */
public interface LinkCertificate {

    /** Why there is no usable certificate (missing file, unreadable, expired), or empty when there is one. */
    Optional<String> problem();

    /**
     * The certificate.
     *
     * @throws IllegalStateException when there is none ({@link #problem()} says why)
     */
    X509Certificate certificate();

    /** {@link #fingerprint(X509Certificate)} of {@link #certificate()}. */
    default String fingerprint() {
        return fingerprint(certificate());
    }

    /** The PKCS#12 file holding the key and the certificate. */
    Path keyStore();

    /**
     * The key store's password (made with it, kept owner-only beside it). Never printed or logged.
     *
     * @throws IllegalStateException when there is no certificate
     */
    char[] keyStorePassword();

    /** The SHA-256 of a certificate's DER encoding: 64 lowercase hex digits, what peers pin. */
    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the SHA-256 of a certificate", e);
        }
    }

    /**
     * A fingerprint as an administrator pastes it — {@code medsettle:link-certificate}'s 64 hex digits, or keytool's
     * {@code SHA256: AB:CD:…} — as 64 lowercase hex digits.
     *
     * @throws IllegalArgumentException if it is not a SHA-256 fingerprint
     */
    static String parseFingerprint(String text) {
        String s = text == null ? "" : text.strip();
        if (s.regionMatches(true, 0, "SHA256:", 0, 7) || s.regionMatches(true, 0, "SHA-256:", 0, 8)) {
            s = s.substring(s.indexOf(':') + 1);
        }
        s = s.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!s.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 certificate fingerprint (64 hex digits, as "
                    + "medsettle:link-certificate prints it on the other instance)");
        }
        return s;
    }

    /** The first 16 hex digits of a fingerprint, for tables and log lines. */
    static String shortForm(String fingerprint) {
        return fingerprint == null || fingerprint.length() < 16 ? String.valueOf(fingerprint) : fingerprint.substring(0, 16);
    }
}
