package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.instance.LinkCertificate;

class LinkCertificateComponentTest {

    @TempDir
    Path keys;

    record Identity(NodeRole role, Optional<URI> hubUrl) implements InstanceIdentity {
        @Override
        public Admdvs admdvs() {
            return Admdvs.of(role == NodeRole.HUB ? "100000" : "330000");
        }

        @Override
        public String version() {
            return "test";
        }
    }

    private static final Identity LONE_NODE = new Identity(NodeRole.NODE, Optional.empty());
    private static final Identity LINKED_NODE = new Identity(NodeRole.NODE, Optional.of(URI.create("https://hub:8444")));

    /** The key store as bin/setenv makes it: keytool, a generated password in link.password. */
    private void setenvMakes(String... validity) throws Exception {
        Files.writeString(keys.resolve("link.password"), "generated-password-1\n", StandardCharsets.UTF_8);
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "medsettle-link", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=medsettle node 330000",
                "-storetype", "PKCS12", "-keystore", keys.resolve("link.p12").toString(),
                "-storepass:file", keys.resolve("link.password").toString()));
        command.addAll(List.of(validity.length == 0 ? new String[] {"-validity", "825"} : validity));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    @Test
    void theCertificateMadeBySetenvIsReadWithItsPasswordFile() throws Exception {
        setenvMakes();
        LinkCertificateComponent c = new LinkCertificateComponent(keys, LINKED_NODE, Clock.systemUTC());
        assertEquals(Optional.empty(), c.problem());
        assertEquals(LinkCertificate.fingerprint(c.certificate()), c.fingerprint());
        assertEquals(64, c.fingerprint().length());
        HealthResult health = c.check();
        assertTrue(health.ok() && health.detail().contains(c.fingerprint()), health.detail());
        assertFalse(health.detail().contains("generated-password-1"), "the password is never shown");
        assertEquals("generated-password-1", new String(c.keyStorePassword()));
    }

    @Test
    void withoutACertificateANodeWithAHubOrTheHubFailsItsHealthAndALoneNodeDoesNot() {
        HealthResult lone = new LinkCertificateComponent(keys, LONE_NODE, Clock.systemUTC()).check();
        assertTrue(lone.ok() && lone.detail().contains("none needed"), lone.detail());
        HealthResult linked = new LinkCertificateComponent(keys, LINKED_NODE, Clock.systemUTC()).check();
        assertFalse(linked.ok());
        assertTrue(linked.detail().contains("link.p12 does not exist"), linked.detail());
        assertFalse(new LinkCertificateComponent(keys, new Identity(NodeRole.HUB, Optional.empty()), Clock.systemUTC())
                .check().ok());
        LinkCertificateComponent none = new LinkCertificateComponent(keys, LINKED_NODE, Clock.systemUTC());
        assertThrows(IllegalStateException.class, none::certificate);
        assertThrows(IllegalStateException.class, none::keyStorePassword);
    }

    @Test
    void anExpiredCertificateFailsAndOneEndingWithinThirtyDaysAsksToBeRenewed() throws Exception {
        setenvMakes("-validity", "20");
        Instant now = Instant.now();
        HealthResult soon = new LinkCertificateComponent(keys, LINKED_NODE, Clock.fixed(now, ZoneOffset.UTC)).check();
        assertTrue(soon.ok() && soon.detail().contains("RENEW IT"), soon.detail());
        HealthResult later = new LinkCertificateComponent(keys, LINKED_NODE,
                Clock.fixed(now.plus(Duration.ofDays(21)), ZoneOffset.UTC)).check();
        assertFalse(later.ok());
        assertTrue(later.detail().contains("expired"), later.detail());
    }

    @Test
    void aWrongPasswordFileIsNamedNotPrinted() throws Exception {
        setenvMakes();
        Files.writeString(keys.resolve("link.password"), "not-the-password\n", StandardCharsets.UTF_8);
        LinkCertificateComponent c = new LinkCertificateComponent(keys, LINKED_NODE, Clock.systemUTC());
        String problem = c.problem().orElseThrow();
        assertTrue(problem.contains("cannot be read with the password in") && !problem.contains("not-the-password"),
                problem);
    }
}
