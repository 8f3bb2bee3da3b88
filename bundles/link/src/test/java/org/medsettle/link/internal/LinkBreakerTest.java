package org.medsettle.link.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.link.internal.wire.LinkClient;
import org.medsettle.link.internal.wire.Wire;
import org.medsettle.link.internal.wire.WireJson;

/**
 * The link's circuit breaker in route {@code link-send}, with a real Camel context and a real socket that takes
 * connections but never speaks TLS (a hub that is there at the TCP level and broken): it opens after enough sends
 * could not reach the peer, then refuses at once without connecting, and tries again after its time.
 */
class LinkBreakerTest {

    private DefaultCamelContext camel;
    private ServerSocket broken;
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        if (camel != null) {
            camel.stop();
        }
        if (broken != null) {
            broken.close();
        }
    }

    /** A peer that accepts TCP connections, counts them and closes them at once: every TLS handshake fails. */
    private URI brokenPeer() throws IOException {
        broken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!broken.isClosed()) {
                try (Socket s = broken.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "broken-peer");
        t.setDaemon(true);
        t.start();
        return URI.create("https://127.0.0.1:" + broken.getLocalPort());
    }

    private LinkClient client(Path dir, URI peer, LinkBreaker breaker) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                LinkClient.routes(this, breaker.bind(getContext().getRegistry()));
            }
        });
        camel.start();
        return new LinkClient(camel, certificate(dir), Admdvs.of("330000"), peer, Set.of("ab".repeat(32)), "the hub",
                1000);
    }

    private static byte[] message() {
        return Wire.message("330000-1", "PERSON", Admdvs.of("330000"), Wire.NATIONAL, WireJson.object());
    }

    private static LinkUnavailableException send(LinkClient c) {
        return assertThrows(LinkUnavailableException.class, () -> c.exchange(LinkBreakerTest::message, "the hub",
                Duration.ZERO));
    }

    @Test
    void afterHalfOfTheSendsCouldNotReachTheHubTheNextAreRefusedAtOnceWithoutConnectingThenTriedAgain(
            @TempDir Path dir) throws Exception {
        LinkBreaker breaker = new LinkBreaker("the hub", Duration.ofSeconds(1), Clock.systemUTC());
        LinkClient c = client(dir, brokenPeer(), breaker);
        for (int i = 0; i < LinkBreaker.MINIMUM; i++) {
            LinkUnavailableException e = send(c);
            assertTrue(e instanceof LinkClient.Unreachable, e.getMessage());
        }
        assertTrue(breaker.state().startsWith("OPEN since"), breaker.state());
        int tried = connections.get();
        assertEquals(LinkBreaker.MINIMUM, tried, "each send before the breaker opened tried the hub");

        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            LinkUnavailableException e = send(c);
            assertFalse(e instanceof LinkClient.Unreachable);
            assertTrue(e.getMessage().startsWith("the hub was not tried: it could not be reached in 100 % of the last "
                    + LinkBreaker.MINIMUM + " sends (circuit breaker OPEN since"),
                    e.getMessage());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(tried, connections.get(), "while open, nothing connects to the hub");
        assertTrue(millis < 1000, "20 refusals took " + millis + " ms");
        assertTrue(breaker.state().startsWith("OPEN since"), breaker.state());

        // after its time the breaker lets one send try whether the hub is back; it fails: open again at once, with no
        // failed trial left half open to count against the hub once it is back
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    send(c);
                    return connections.get() > tried;
                });
        assertEquals(tried + 1, connections.get(), "one trial");
        assertTrue(breaker.state().startsWith("OPEN since"), "after one failed trial: " + breaker.state());
        for (int i = 0; i < 5; i++) {
            LinkUnavailableException e = send(c);
            assertTrue(e.getMessage().startsWith("the hub was not tried: the exchange that tried whether it is back "
                    + "could not reach it (circuit breaker OPEN since"), e.getMessage());
        }
        assertEquals(tried + 1, connections.get(), "open again: nothing more connects");
    }

    @Test
    void onlyFailuresToReachThePeerCountAgainstIt() {
        LinkUnavailableException timeout = new LinkUnavailableException("the hub did not answer in time", null);
        assertFalse(LinkBreaker.unreachable(new LinkUnavailableException("the hub answered HTTP 502: the node of "
                + "630000 cannot be reached", null)), "an answer of the hub, even about another node");
        assertFalse(LinkBreaker.unreachable(new LinkClient.Refused("no filing")));
        assertFalse(LinkBreaker.unreachable(new LinkClient.Unprocessed("being updated", true)));
        assertFalse(LinkBreaker.unreachable(timeout));
        assertFalse(LinkBreaker.unreachable(null));
    }

    @Test
    void aRefusedConnectionCountsAlsoWhenCamelWrapsIt(@TempDir Path dir) throws Exception {
        LinkBreaker breaker = new LinkBreaker("the hub", Duration.ofSeconds(10), Clock.systemUTC());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LinkClient c = client(dir, URI.create("https://127.0.0.1:" + port), breaker);
        LinkUnavailableException e = send(c);
        assertTrue(e instanceof LinkClient.Unreachable && e.getMessage().contains("cannot be reached"), e.getMessage());
        assertTrue(LinkBreaker.unreachable(new RuntimeCamelException(e)));
        assertTrue(breaker.state().startsWith("CLOSED"), breaker.state());
    }

    /** This instance's link certificate: a key store made with the JDK's keytool, as bin/setenv makes it. */
    private static LinkCertificate certificate(Path dir) throws Exception {
        Path store = dir.resolve("link.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "medsettle-link", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=node-330000", "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit1", "-keypass", "changeit1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.exists(store));
        return new LinkCertificate() {
            @Override
            public java.security.cert.X509Certificate certificate() {
                try (java.io.InputStream in = Files.newInputStream(store)) {
                    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                    ks.load(in, "changeit1".toCharArray());
                    return (java.security.cert.X509Certificate) ks.getCertificate("medsettle-link");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Path keyStore() {
                return store;
            }

            @Override
            public char[] keyStorePassword() {
                return "changeit1".toCharArray();
            }

            @Override
            public Optional<String> problem() {
                return Optional.empty();
            }
        };
    }
}
