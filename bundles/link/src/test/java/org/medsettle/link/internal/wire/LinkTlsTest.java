package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.LinkCertificate;
import org.medsettle.api.link.LinkUnavailableException;

/**
 * The link's TLS, for real: certificates made with the JDK's keytool as {@code bin/setenv} makes them, a TLS server
 * that asks for client certificates, and the link client pinned to the server's fingerprint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinkTlsTest {

    private static final String PASSWORD = "test-password-1";

    private Path dir;

    private StoredCertificate server;
    private StoredCertificate client;
    private StoredCertificate stranger;
    private StoredCertificate expired;
    private HttpsServer https;
    private SSLContext tls;
    /** Released by {@link #aTimeOutMayHaveBeenActedOn} once the client timed out: the "SLOW" answer goes then. */
    private final java.util.concurrent.CountDownLatch clientGaveUp = new java.util.concurrent.CountDownLatch(1);
    private DefaultCamelContext camel;
    private final List<JsonNode> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<String> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A key store made by keytool, as {@link LinkCertificate}. */
    record StoredCertificate(Path keyStore, X509Certificate certificate) implements LinkCertificate {

        @Override
        public Optional<String> problem() {
            return Optional.empty();
        }

        @Override
        public char[] keyStorePassword() {
            return PASSWORD.toCharArray();
        }

        KeyStore load() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            return ks;
        }
    }

    static StoredCertificate keytool(Path dir, String name, String... validity) throws Exception {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "medsettle-link", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=medsettle " + name, "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD));
        command.addAll(validity.length == 0 ? List.of("-validity", "825") : List.of(validity));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return new StoredCertificate(store, (X509Certificate) ks.getCertificate("medsettle-link"));
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        server = keytool(dir, "hub");
        client = keytool(dir, "node-330000");
        stranger = keytool(dir, "stranger");
        expired = keytool(dir, "expired", "-startdate", "-400d", "-validity", "30");
        camel = new DefaultCamelContext();
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                LinkClient.routes(this, new org.medsettle.link.internal.LinkBreaker("the hub", Duration.ofSeconds(10),
                        java.time.Clock.systemUTC()).bind(getContext().getRegistry()));
            }
        });
        camel.start();

        // a TLS server that asks for a client certificate, accepts any at the TLS layer (as etc/jetty-link.xml does)
        // and answers with the fingerprint of the one it got
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server.load(), PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(kmf.getKeyManagers(), new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        this.tls = tls;
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setWantClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        https.createContext(Wire.PATH, exchange -> {
            JsonNode request = WireJson.parse(exchange.getRequestBody().readAllBytes());
            String type = request.path("type").asText();
            if ("KEEPALIVE".equals(type)) {
                sessions.add(java.util.HexFormat.of().formatHex(((HttpsExchange) exchange).getSSLSession().getId()));
            }
            received.add(request);
            if ("CLOSED_THEN_UPDATING".equals(type) && receivedOf("CLOSED_THEN_UPDATING") == 1) {
                // the connection closed with no answer at all (the JDK's server closes it on a handler's exception)
                throw new IllegalStateException("test: gone before answering");
            }
            if ("SLOW".equals(type)) {
                // answers only once the client has given up waiting (the test releases it then)
                try {
                    clientGaveUp.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if ("NODE_DOWN".equals(type) || "NODE_TIMED_OUT".equals(type)) {
                // the hub's 502: the node it forwards to not reached; certainly not delivered only when it says so
                byte[] body = Wire.refused("the node of 630000 cannot be reached");
                exchange.getResponseHeaders().add(Wire.FROM_HEADER, "100000");
                if ("NODE_DOWN".equals(type)) {
                    exchange.getResponseHeaders().add(Wire.UNDELIVERED_HEADER, "true");
                }
                exchange.sendResponseHeaders(502, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            if ("UPDATING".equals(type) || "UPDATING_OLD".equals(type) || "CLOSED_THEN_UPDATING".equals(type)
                    || "FLAKY".equals(type) && received.stream()
                    .filter(r -> "FLAKY".equals(r.path("type").asText())).count() <= 2) {
                byte[] body = Wire.refused("being updated");
                exchange.getResponseHeaders().add(Wire.FROM_HEADER, "100000");
                exchange.getResponseHeaders().add(Wire.UNPROCESSED_HEADER, "true");
                if (!"UPDATING_OLD".equals(type)) {
                    // as receivers since the header exists answer; one older says only "unprocessed"
                    exchange.getResponseHeaders().add(Wire.UNDELIVERED_HEADER, "true");
                }
                exchange.sendResponseHeaders(503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            if ("NO_LINK_YET".equals(type) && receivedOf("NO_LINK_YET") == 1) {
                // what Jetty answers while no link servlet is registered: a bare 404, no X-Medsettle-From
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            if ("REFUSE".equals(type)) {
                byte[] body = Wire.refused("no filing covers the visit");
                exchange.getResponseHeaders().add(Wire.FROM_HEADER, "100000");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            X509Certificate[] chain;
            try {
                chain = (X509Certificate[]) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                chain = null;
            }
            PinnedCertificates.Checked checked = PinnedCertificates.check(chain, client.fingerprint()::equals,
                    "the test's directory", Clock.systemUTC());
            byte[] body = checked.refused() ? Wire.refused(checked.refusal())
                    : Wire.ok(WireJson.object().put("client", checked.fingerprint()));
            exchange.getResponseHeaders().add(Wire.FROM_HEADER, "100000");
            exchange.sendResponseHeaders(checked.refused() ? 401 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
    }

    @AfterAll
    void stop() throws Exception {
        https.stop(0);
        camel.close();
    }

    private URI base() {
        return URI.create("https://127.0.0.1:" + https.getAddress().getPort());
    }

    private byte[] message() {
        return message("PERSON_LOOKUP");
    }

    private static byte[] message(String type) {
        return Wire.message("330000-" + type, type, Admdvs.of("330000"), Wire.NATIONAL, WireJson.object());
    }

    private LinkClient client() {
        return new LinkClient(camel, client, Admdvs.of("330000"), base(), java.util.Set.of(server.fingerprint()),
                "the hub", 3000);
    }

    /** One attempt, as the hub sends (no grace for "unprocessed"). */
    private static JsonNode once(LinkClient c, byte[] message) {
        return c.exchange(() -> message, "the hub", Duration.ZERO);
    }

    /** A port nothing listens on. */
    private static int unusedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Whether a connection to {@code port} of this machine is refused (nothing listens there). */
    private static boolean refused(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private long receivedOf(String type) {
        return received.stream().filter(r -> type.equals(r.path("type").asText())).count();
    }

    @Test
    void aMessageTheReceiverDidNotTakeIsBuiltAfreshAndSentAgainUntilItIsAnswered() {
        JsonNode answer = client().exchange(() -> message("FLAKY"), "the hub", Duration.ofSeconds(5));
        assertEquals(client.fingerprint(), answer.path("client").asText());
        assertEquals(3, receivedOf("FLAKY"), "twice 'unprocessed', then answered");
        assertEquals(3, received.stream().filter(r -> "FLAKY".equals(r.path("type").asText()))
                .map(r -> r.path("nonce").asText()).distinct().count(), "a new nonce for every attempt");
    }

    @Test
    void aBare404WhileNoLinkIsThereIsSentAgainThoughTheRequestNamedItsSender() {
        JsonNode answer = client().exchange(() -> message("NO_LINK_YET"), "the hub", Duration.ofSeconds(5));
        assertEquals(client.fingerprint(), answer.path("client").asText());
        assertEquals(2, receivedOf("NO_LINK_YET"));
    }

    @Test
    void messagesOneAfterTheOtherShareOneKeptAliveTlsConnection() {
        LinkClient c = client();
        for (int i = 0; i < 10; i++) {
            once(c, message("KEEPALIVE"));
        }
        assertEquals(10, receivedOf("KEEPALIVE"));
        assertEquals(1, sessions.size(), "one TLS session (one handshake) for ten messages: " + sessions);
    }

    @Test
    void aRefusalIsNeverSentAgain() {
        assertThrows(LinkClient.Refused.class,
                () -> client().exchange(() -> message("REFUSE"), "the hub", Duration.ofSeconds(5)));
        assertEquals(1, receivedOf("REFUSE"));
    }

    @Test
    void aReceiverStillBeingUpdatedAfterTheGraceIsReportedWithTheAttempts() {
        long start = System.nanoTime();
        LinkUnavailableException e = assertThrows(LinkUnavailableException.class,
                () -> client().exchange(() -> message("UPDATING"), "the hub", Duration.ofMillis(2000)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("still so after") && e.getMessage().contains("being updated"), e.getMessage());
        assertTrue(receivedOf("UPDATING") >= 3 && millis < 4_000, receivedOf("UPDATING") + " attempts in " + millis + " ms");
    }

    @Test
    void nothingListeningIsReportedAsUnreachableAndCertainlyUndelivered() throws Exception {
        int port = unusedPort();
        LinkClient c = new LinkClient(camel, client, Admdvs.of("330000"), URI.create("https://127.0.0.1:" + port),
                java.util.Set.of(server.fingerprint()), "the hub", 1000);
        LinkUnavailableException e = assertThrows(LinkUnavailableException.class, () -> once(c, message()));
        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
        assertTrue(e.undelivered(), "a refused connection: nothing went out");
    }

    @Test
    void aKeptAliveConnectionThePeerClosedWhenItStoppedIsFoundClosedBeforeAMessageIsWrittenOnIt() throws Exception {
        HttpsServer peer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.setHttpsConfigurator(new HttpsConfigurator(tls));
        peer.createContext(Wire.PATH, exchange -> {
            byte[] body = Wire.ok(WireJson.object());
            exchange.getResponseHeaders().add(Wire.FROM_HEADER, "100000");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        peer.start();
        LinkClient c = new LinkClient(camel, client, Admdvs.of("330000"),
                URI.create("https://127.0.0.1:" + peer.getAddress().getPort()), java.util.Set.of(server.fingerprint()),
                "the hub", 3000);
        once(c, message());
        long lastUsed = System.nanoTime();
        // the peer stops: its connections are closed; the kept one stays in the pool, idle until it is older than the
        // stale check's threshold and nothing listens at the port any more
        peer.stop(0);
        int port = peer.getAddress().getPort();
        org.awaitility.Awaitility.await("the peer gone and the kept connection idle past the threshold")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> (System.nanoTime() - lastUsed) / 1_000_000 > LinkClient.STALE_CHECK_MILLIS + 100
                        && refused(port));
        LinkUnavailableException e = assertThrows(LinkUnavailableException.class, () -> once(c, message()));
        assertTrue(e.undelivered(), "found closed, a new connection refused — not a message lost on a dead one: "
                + e.getMessage());
    }

    @Test
    void theHubSayingTheReceivingNodeCannotBeReachedIsUndeliveredOnlyWhenItSaysSo() {
        LinkUnavailableException down = assertThrows(LinkUnavailableException.class,
                () -> once(client(), message("NODE_DOWN")));
        assertTrue(down.getMessage().contains("HTTP 502") && down.undelivered(), down.getMessage());
        LinkUnavailableException timedOut = assertThrows(LinkUnavailableException.class,
                () -> once(client(), message("NODE_TIMED_OUT")));
        assertFalse(timedOut.undelivered(), "a 502 without the header (a time-out behind the hub, an older hub)");
    }

    @Test
    void aTimeOutMayHaveBeenActedOn() {
        LinkClient c = new LinkClient(camel, client, Admdvs.of("330000"), base(), java.util.Set.of(server.fingerprint()),
                "the hub", 500);
        LinkUnavailableException e;
        try {
            e = assertThrows(LinkUnavailableException.class, () -> once(c, message("SLOW")));
        } finally {
            clientGaveUp.countDown();
        }
        assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
        assertFalse(e.undelivered());
    }

    @Test
    void aReceiverThatNeverLookedAtTheMessageLeavesItUndeliveredUnlessAnAttemptMayHaveBeenTaken() {
        LinkUnavailableException updating = assertThrows(LinkUnavailableException.class,
                () -> client().exchange(() -> message("UPDATING"), "the hub", Duration.ofMillis(300)));
        assertTrue(updating.undelivered(), updating.getMessage());
        LinkUnavailableException old = assertThrows(LinkUnavailableException.class,
                () -> client().exchange(() -> message("UPDATING_OLD"), "the hub", Duration.ofMillis(300)));
        assertFalse(old.undelivered(), "a receiver that does not say so: not certain");
        // the first attempt met a connection closed before any answer: it may have been taken
        LinkUnavailableException closed = assertThrows(LinkUnavailableException.class,
                () -> client().exchange(() -> message("CLOSED_THEN_UPDATING"), "the hub", Duration.ofSeconds(3)));
        assertTrue(receivedOf("CLOSED_THEN_UPDATING") >= 2, "sent again after the closed connection");
        assertFalse(closed.undelivered(), closed.getMessage());
    }

    @Test
    void routeLinkPostGivesAnUnreachablePeerToItsCallerAsLinkUnavailableNamingIt() throws Exception {
        int port = unusedPort();
        LinkClient c = new LinkClient(camel, client, Admdvs.of("100000"), URI.create("https://127.0.0.1:" + port),
                java.util.Set.of(server.fingerprint()), "the node of 630000", 1000);
        // what the hub's router does: prepare, then to(direct:link-post) in its own route
        org.apache.camel.Exchange done = camel.createProducerTemplate().send(LinkClient.POST,
                e -> c.prepare(e, message(), "the node of 630000"));
        assertTrue(done.getException() instanceof LinkUnavailableException, String.valueOf(done.getException()));
        assertTrue(done.getException().getMessage().startsWith("the node of 630000 cannot be reached"),
                done.getException().getMessage());
    }

    @Test
    void aClientPinnedToTheServersCertificatePresentsItsOwnAndGetsTheAnswer() {
        LinkClient c = new LinkClient(camel, client, Admdvs.of("330000"), base(), java.util.Set.of(server.fingerprint()), "the hub", 3000);
        JsonNode answer = once(c, message());
        assertEquals(client.fingerprint(), answer.path("client").asText(), "the server saw the client's certificate");
        // a second message reuses the connection and still works
        assertEquals(client.fingerprint(), once(c, message()).path("client").asText());
    }

    @Test
    void aServerPresentingAnotherCertificateThanThePinnedOneIsNotTalkedTo() {
        LinkClient c = new LinkClient(camel, client, Admdvs.of("330000"), base(), java.util.Set.of(stranger.fingerprint()), "the hub",
                3000);
        LinkUnavailableException e = assertThrows(LinkUnavailableException.class,
                () -> once(c, message()));
        assertTrue(e.getMessage().contains("is not the instance this one pins")
                && e.getMessage().contains(server.fingerprint()), e.getMessage());
    }

    @Test
    void aClientWithACertificateTheServerDoesNotKnowIsRefused() {
        LinkClient c = new LinkClient(camel, stranger, Admdvs.of("330000"), base(), java.util.Set.of(server.fingerprint()), "the hub",
                3000);
        LinkUnavailableException e = assertThrows(LinkUnavailableException.class,
                () -> once(c, message()));
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains(stranger.fingerprint())
                && e.getMessage().contains("is not in the test's directory"), e.getMessage());
    }

    @Test
    void aClientWithAnExpiredCertificateIsRefusedEvenIfItsFingerprintIsTrusted() {
        PinnedCertificates.Checked checked = PinnedCertificates.check(new X509Certificate[] {expired.certificate()},
                f -> true, "anything", Clock.systemUTC());
        assertTrue(checked.refused() && checked.refusal().contains("expired at"), checked.refusal());
        assertEquals(expired.fingerprint(), checked.fingerprint());
    }

    @Test
    void noCertificateIsRefusedAndTheRightOneIsAccepted() {
        PinnedCertificates.Checked none = PinnedCertificates.check(null, f -> true, "anything", Clock.systemUTC());
        assertTrue(none.refused() && none.refusal().contains("no client certificate"), none.refusal());
        assertNull(none.fingerprint());
        PinnedCertificates.Checked right = PinnedCertificates.check(new X509Certificate[] {client.certificate()},
                client.fingerprint()::equals, "the directory", Clock.systemUTC());
        assertFalse(right.refused(), right.refusal());
    }

    @Test
    void whileTheHubsCertificateIsReplacedANodeAcceptsTheOldAndTheNew() {
        LinkClient c = new LinkClient(camel, client, Admdvs.of("330000"), base(),
                java.util.Set.of(stranger.fingerprint(), server.fingerprint()), "the hub", 3000);
        assertEquals(client.fingerprint(), once(c, message()).path("client").asText());
    }

    @Test
    void fingerprintsArePastedAsKeytoolOrTheConsolePrintsThem() {
        String f = client.fingerprint();
        StringBuilder keytoolStyle = new StringBuilder("SHA256: ");
        for (int i = 0; i < f.length(); i += 2) {
            keytoolStyle.append(i == 0 ? "" : ":").append(f.substring(i, i + 2).toUpperCase(java.util.Locale.ROOT));
        }
        assertEquals(f, LinkCertificate.parseFingerprint(keytoolStyle.toString()));
        assertEquals(f, LinkCertificate.parseFingerprint(" " + f + "\n"));
        assertThrows(IllegalArgumentException.class, () -> LinkCertificate.parseFingerprint("Error: no such command"));
        assertThrows(IllegalArgumentException.class, () -> LinkCertificate.parseFingerprint(f.substring(1)));
    }
}
