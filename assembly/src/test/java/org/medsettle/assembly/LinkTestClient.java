package org.medsettle.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client of an instance's link port as an outsider or an insider would make one: with a client certificate from a
 * key store (a node's own {@code etc/keys/link.p12}, or one made by keytool here), or with none. It accepts any server
 * certificate: what it tests is what the server lets in.
 */
final class LinkTestClient {

    private final HttpClient http;

    private LinkTestClient(KeyManager[] keys) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(keys, new TrustManager[] {new AnyServer()}, null);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Without a client certificate. */
    static LinkTestClient anonymous() throws Exception {
        return new LinkTestClient(null);
    }

    /** With the key and certificate of {@code keyStore} (PKCS#12, {@code password}). */
    static LinkTestClient holding(Path keyStore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        return new LinkTestClient(kmf.getKeyManagers());
    }

    /** With the certificate of a running (or stopped) instance: its own key store, read with its password file. */
    static LinkTestClient as(ApplianceInstance instance) throws Exception {
        Path keys = instance.home().resolve("etc/keys");
        return holding(keys.resolve("link.p12"), Files.readString(keys.resolve("link.password")).strip());
    }

    /** A key store with a new key and self-signed certificate, made by keytool ({@code extra}: e.g. a validity). */
    static Path keytool(Path dir, String name, String password, String... extra) throws Exception {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "medsettle-link", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password));
        command.addAll(List.of(extra.length == 0 ? new String[] {"-validity", "825"} : extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        return store;
    }

    /** A link message as {@code Wire.message} builds it, with a nonce of the caller's choosing. */
    static String message(String msgId, String type, String from, String to, String nonce, String body) {
        return "{\"msg_id\":\"" + msgId + "\",\"type\":\"" + type + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"sent_at\":\"" + java.time.Instant.now() + "\",\"nonce\":\"" + nonce + "\",\"body\":" + body + "}";
    }

    /** POSTs {@code message} to {@code base}'s link path, naming {@code from} as the sender. */
    HttpResponse<String> post(String base, String from, String message) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/medsettle/link/v1"))
                .header("Content-Type", "application/json").header("X-Medsettle-From", from)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(message)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Trusts any server: this client tests servers' refusals, not their certificates. */
    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

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
    }

    /**
     * A TCP relay in a network attacker's position between a node and the hub: it passes the bytes both ways and keeps
     * a copy of everything it saw.
     */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        private final Thread acceptor;

        Relay(int targetPort) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket("127.0.0.1", targetPort);
                        pump(in, out);
                        pump(out, in);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "link-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (seen) {
                            seen.write(buffer, 0, n);
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException closed) {
                    // one side closed
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, "link-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** Everything that went through, both ways. */
        byte[] seen() {
            synchronized (seen) {
                return seen.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
