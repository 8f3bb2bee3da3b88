package org.medsettle.link.internal.wire;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.function.Predicate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.medsettle.api.instance.LinkCertificate;

/**
 * Which certificate an instance accepts from another on the link: exactly the one whose SHA-256 fingerprint it
 * was given (pinning), within its validity. The TLS handshake itself is the JDK's (it proves that the peer holds
 * the key of the certificate it presents); this class only decides whether that certificate is the expected one.
 * Host names play no part: a peer is identified by its certificate, wherever it is (a load balancer, an IP).
 */
public final class PinnedCertificates {

    /** The outcome of checking a peer's certificate: its fingerprint (null if none was presented) and a refusal. */
    public record Checked(String fingerprint, String refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    private PinnedCertificates() {
    }

    /**
     * Checks the certificate a peer presented: refused if there is none, it is not within its validity, or
     * {@code trusted} does not accept its fingerprint ({@code what} names the pins in the refusal, e.g. "the hub's
     * directory").
     */
    public static Checked check(X509Certificate[] chain, Predicate<String> trusted, String what, Clock clock) {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            return new Checked(null, "no client certificate was presented (the link needs mutual TLS, on "
                    + "MEDSETTLE_LINK_PORT)");
        }
        X509Certificate leaf = chain[0];
        String fingerprint = LinkCertificate.fingerprint(leaf);
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            return new Checked(fingerprint, "the certificate " + LinkCertificate.shortForm(fingerprint) + " expired at "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            return new Checked(fingerprint, "the certificate " + LinkCertificate.shortForm(fingerprint)
                    + " is not valid before " + leaf.getNotBefore().toInstant());
        }
        if (!trusted.test(fingerprint)) {
            return new Checked(fingerprint, "the certificate " + fingerprint + " (" + leaf.getSubjectX500Principal()
                    .getName() + ") is not in " + what);
        }
        return new Checked(fingerprint, null);
    }

    /**
     * A trust manager for a client that calls one peer: the server must present a certificate whose fingerprint is
     * one of {@code pins} (usually one; two while the peer's certificate is being replaced). Client certificates are
     * not checked with it (the link checks them per request, see {@link #check}).
     */
    public static X509ExtendedTrustManager serverPinnedTo(java.util.Set<String> pins, String peer, Clock clock) {
        return new X509ExtendedTrustManager() {
            private void checkServer(X509Certificate[] chain) throws CertificateException {
                Checked checked = check(chain, pins::contains, "what this instance pins for " + peer, clock);
                if (checked.refused()) {
                    throw new CertificateException(peer + " presented a certificate this instance does not accept: "
                            + checked.refusal());
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                checkServer(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkServer(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkServer(chain);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a link client does not accept clients");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                throw new CertificateException("a link client does not accept clients");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                throw new CertificateException("a link client does not accept clients");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
