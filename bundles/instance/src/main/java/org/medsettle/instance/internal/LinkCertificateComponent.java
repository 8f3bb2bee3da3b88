package org.medsettle.instance.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;

import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.NodeRole;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's link certificate, read from {@code etc/keys/link.p12} with the password in
 * {@code etc/keys/link.password} — both made by {@code bin/setenv} with keytool before the first start, because
 * the link's TLS port (Jetty, {@code etc/jetty-link.xml}) opens before any bundle of ours runs. Read once at start:
 * a renewed certificate takes effect at the next restart, as for Jetty. Health check {@code link-certificate}.
 */
@Component(service = {LinkCertificate.class, HealthCheck.class})
public class LinkCertificateComponent implements LinkCertificate, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(LinkCertificateComponent.class);
    /** From this close to its end, health says to renew the certificate. */
    static final Duration RENEW_WITHIN = Duration.ofDays(30);

    private final Path keyStore;
    private final Path passwordFile;
    private final InstanceIdentity identity;
    private final Clock clock;
    private final X509Certificate certificate;
    private final char[] password;
    private final String unreadable;

    @Activate
    public LinkCertificateComponent(BundleContext context, @Reference InstanceIdentity identity) {
        this(Path.of(context.getProperty("karaf.etc") == null ? "etc" : context.getProperty("karaf.etc"), "keys"),
                identity, Clock.systemUTC());
    }

    LinkCertificateComponent(Path keysDir, InstanceIdentity identity, Clock clock) {
        this.keyStore = keysDir.resolve("link.p12");
        this.passwordFile = keysDir.resolve("link.password");
        this.identity = identity;
        this.clock = clock;
        X509Certificate cert = null;
        char[] pass = null;
        String why = null;
        if (!Files.exists(keyStore)) {
            why = keyStore + " does not exist: start the instance with bin/start or bin/karaf (bin/setenv makes it "
                    + "with keytool), or make it as docs/security.md shows";
        } else {
            try {
                pass = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStore)) {
                    ks.load(in, pass);
                }
                for (String alias : Collections.list(ks.aliases())) {
                    if (ks.isKeyEntry(alias)) {
                        Certificate c = ks.getCertificate(alias);
                        if (c instanceof X509Certificate x) {
                            cert = x;
                            break;
                        }
                    }
                }
                if (cert == null) {
                    why = keyStore + " holds no key with an X.509 certificate";
                }
            } catch (IOException | GeneralSecurityException e) {
                why = keyStore + " cannot be read with the password in " + passwordFile + " ("
                        + e.getClass().getSimpleName() + ")";
            }
        }
        this.certificate = cert;
        this.password = pass;
        this.unreadable = why;
        if (cert != null) {
            LOG.info("Link certificate {}: SHA-256 {}, valid until {}", keyStore, LinkCertificate.fingerprint(cert),
                    cert.getNotAfter().toInstant());
        } else if (needed()) {
            LOG.error("No link certificate: {}", why);
        }
    }

    private boolean needed() {
        return identity.role() == NodeRole.HUB || identity.hubUrl().isPresent();
    }

    @Override
    public Optional<String> problem() {
        if (unreadable != null) {
            return Optional.of(unreadable);
        }
        Instant end = certificate.getNotAfter().toInstant();
        if (end.isBefore(clock.instant())) {
            return Optional.of("the link certificate in " + keyStore + " expired at " + end + "; other instances refuse "
                    + "it: make a new one (docs/security.md) and register its fingerprint again");
        }
        return Optional.empty();
    }

    @Override
    public X509Certificate certificate() {
        if (certificate == null) {
            throw new IllegalStateException("no link certificate: " + unreadable);
        }
        return certificate;
    }

    @Override
    public Path keyStore() {
        return keyStore;
    }

    @Override
    public char[] keyStorePassword() {
        if (password == null) {
            throw new IllegalStateException("no link certificate: " + unreadable);
        }
        return password.clone();
    }

    @Override
    public String name() {
        return "link-certificate";
    }

    /**
     * FAIL when the instance needs a certificate (a hub, or a node with a hub) and has none or an expired one; the
     * detail names the fingerprint others pin, its end, and from 30 days before it, that it must be renewed.
     */
    @Override
    public HealthResult check() {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            return needed() ? HealthResult.fail(problem.get())
                    : HealthResult.ok("none, and none needed: no national hub is configured (" + problem.get() + ")");
        }
        Instant end = certificate.getNotAfter().toInstant();
        String detail = "SHA-256 " + fingerprint() + ", valid until " + end;
        if (end.isBefore(clock.instant().plus(RENEW_WITHIN))) {
            detail += "; RENEW IT: it ends in less than " + RENEW_WITHIN.toDays() + " days (docs/security.md)";
        }
        return HealthResult.ok(detail);
    }
}
