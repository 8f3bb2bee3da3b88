package org.medsettle.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.medsettle.tools.FilingClient;
import org.medsettle.tools.HisClient;
import org.medsettle.tools.Signed;

/**
 * Nothing signed can be replayed, and impossible dates are refused (issue 10, items 2 and 3), on the shipped tarball
 * as real processes: a hub, a treatment node (330000) whose link to the hub goes through a recording relay in this
 * test (a network attacker's position), and an insured node (630000).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayAndDatesProcessIT {

    private static final Path WORK = Path.of("target/it-replay-dates").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PSN = "63000000000000000071";
    private static final String KEYSTORE_PASSWORD = "it-" + java.util.UUID.randomUUID();
    private static final String CERTNO = org.medsettle.tools.SequenceReplay.certno("630000", 71);

    /** A request the treatment node sent to the hub, as it went over the network. */
    record Captured(Map<String, List<String>> headers, byte[] body) {
        String type() {
            try {
                return JSON.readTree(body).path("type").asText();
            } catch (IOException e) {
                return "";
            }
        }
    }

    private ApplianceInstance hub;
    private ApplianceInstance treatment;
    private ApplianceInstance insured;
    private HttpServer relay;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FilingClient filings;
    private HisClient his;

    @BeforeAll
    void startTheTopology() throws Exception {
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        hub = ApplianceInstance.hub(WORK);
        String hubKey = hub.must("link-key").strip();
        startRelay(hub.httpUrl());

        treatment = ApplianceInstance.unpack(WORK, "node-330000", "330000");
        treatment.env().put("MEDSETTLE_HUB_URL", "http://127.0.0.1:" + relay.getAddress().getPort());
        insured = ApplianceInstance.unpack(WORK, "node-630000", "630000");
        insured.env().put("MEDSETTLE_HUB_URL", hub.httpUrl());
        // the insured node serves HTTPS as well, with a certificate made the way docs/security.md says
        Path keystore = insured.home().resolve("etc/keys/https.p12");
        Files.createDirectories(keystore.getParent());
        ApplianceInstance.Result made = ApplianceInstance.run(WORK, List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "medsettle",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", KEYSTORE_PASSWORD), Map.of(), Duration.ofSeconds(60));
        assertEquals(0, made.exit(), made::toString);
        insured.env().put("MEDSETTLE_HTTPS", "true");
        insured.env().put("MEDSETTLE_HTTPS_PORT", String.valueOf(ApplianceInstance.freePort()));
        insured.env().put("MEDSETTLE_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD);
        for (ApplianceInstance node : List.of(treatment, insured)) {
            // admissions of 2026 stay plausible for this test in later years too (the default window is 400 days)
            node.setting("org.medsettle.transactions.cfg", "admissionMaxAgeDays", "3650");
            node.env().put("MEDSETTLE_HUB_KEY", hubKey);
            node.env().put("MEDSETTLE_HEAP", "384M");
            node.start();
        }
        for (Map.Entry<String, ApplianceInstance> e : Map.of("330000", treatment, "630000", insured).entrySet()) {
            e.getValue().awaitHealthy();
            hub.must("hub-node-add " + e.getKey() + " " + e.getValue().httpUrl() + " " + e.getValue().must("link-key").strip());
        }
        treatment.must("catalogue-import " + treatment.home().resolve("samples/catalogue-330000.csv"));
        treatment.must("hospital-import " + treatment.home().resolve("samples/hospitals-330000.csv"));
        his = new HisClient(treatment.httpUrl(), "H33030000001", treatment.hospitalKey("H33030000001"), "330000");
        Path persons = WORK.resolve("persons-630000.csv");
        Files.writeString(persons, "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + PSN + "," + CERTNO + ",测试,1,1990-01-01,310,1101,,1000.00,某单位\n", StandardCharsets.UTF_8);
        insured.must("person-import " + persons);
        filings = new FilingClient(insured.httpUrl(), "it", insured.filingClient("it"));
        hub.awaitHealthy();
    }

    /** Forwards the treatment node's link traffic to the hub and keeps a copy of every request. */
    private void startRelay(String hubUrl) throws IOException {
        relay = HttpServer.create(new InetSocketAddress("127.0.0.1", ApplianceInstance.freePort()), 0);
        relay.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> {
                if (k.toLowerCase(java.util.Locale.ROOT).startsWith("x-medsettle") || k.equalsIgnoreCase("content-type")) {
                    headers.put(k, List.copyOf(v));
                }
            });
            captured.add(new Captured(headers, body));
            try {
                HttpResponse<byte[]> answer = http.send(withHeaders(HttpRequest.newBuilder(
                        URI.create(hubUrl + exchange.getRequestURI())), headers)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().map().forEach((k, v) -> {
                    if (k.toLowerCase(java.util.Locale.ROOT).startsWith("x-medsettle") || k.equalsIgnoreCase("content-type")) {
                        exchange.getResponseHeaders().put(k, v);
                    }
                });
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        relay.start();
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder b, Map<String, List<String>> headers) {
        headers.forEach((k, values) -> values.forEach(v -> b.header(k, v)));
        return b;
    }

    @AfterAll
    void stopTheTopology() {
        for (ApplianceInstance i : new ApplianceInstance[] {treatment, insured, hub}) {
            if (i != null) {
                i.close();
            }
        }
        if (relay != null) {
            relay.stop(0);
        }
    }

    private static ObjectNode filing(String psnNo) {
        ObjectNode f = JSON.createObjectNode();
        f.put("psn_no", psnNo);
        f.put("category", "TEMPORARY");
        f.put("mdtrtarea_admvs", "330000");
        f.put("valid_from", "2026-01-01");
        f.put("valid_to", "2026-12-31");
        f.put("evidence", "个人承诺");
        f.put("operator", "it");
        return f;
    }

    private int filingsOf(String psnNo) {
        Signed.Answer list = filings.forPerson(psnNo);
        assertEquals(200, list.status(), list.body().toString());
        return list.body().path("filings").size();
    }

    @Test
    @Order(1)
    void aSignedFilingRequestSentAgainIsRefusedAndCreatesNothing() {
        FilingClient.Prepared post = filings.preparePost(FilingClient.PATH, filing(PSN));
        Signed.Answer first = post.send();
        assertEquals(201, first.status(), first.body().toString());
        String id = first.body().path("filing_id").asText();
        Signed.Answer again = post.send();
        assertEquals(401, again.status(), again.body().toString());
        assertTrue(again.body().path("error").asText().contains("nonce was used before"), again.body().toString());
        assertEquals(1, filingsOf(PSN), "the replay filed nothing");

        ObjectNode reason = JSON.createObjectNode().put("reason", "moved back").put("operator", "it");
        assertEquals(200, filings.cancel(id, reason).status());
        Signed.Answer afterCancel = post.send();
        assertEquals(401, afterCancel.status(), "a replay after the cancellation re-creates no ACTIVE filing");
        JsonNode all = filings.forPerson(PSN).body().path("filings");
        assertEquals(1, all.size(), all.toString());
        assertEquals("CANCELLED", all.get(0).path("state").asText(), all.toString());
        // the filing the rest of this test needs
        assertEquals(201, filings.file(filing(PSN)).status());
    }

    @Test
    @Order(2)
    void aFilingRequestSignedAtAnotherTimeIsRefused() throws Exception {
        // what a client with a clock ten minutes slow (or a request held back ten minutes) sends
        String key = insured.filingClient("late");
        byte[] body = JSON.writeValueAsBytes(filing("63000000000000000072"));
        String timestamp = Long.toString(java.time.Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        String nonce = "late-request-000000001";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(key), "HmacSHA256"));
        mac.update(("POST " + FilingClient.PATH + "\n" + timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8));
        String signature = java.util.HexFormat.of().formatHex(mac.doFinal(body));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(insured.httpUrl() + FilingClient.PATH))
                .header("X-Medsettle-Client", "late").header("X-Medsettle-Timestamp", timestamp)
                .header("X-Medsettle-Nonce", nonce).header("X-Medsettle-Signature", signature)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("from this node's clock"), r.body());
        // unsigned, or signed the old way (no timestamp, no nonce): refused
        HttpResponse<String> old = http.send(HttpRequest.newBuilder(URI.create(insured.httpUrl() + FilingClient.PATH))
                .header("X-Medsettle-Client", "late").header("X-Medsettle-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, old.statusCode(), old.body());
    }

    @Test
    @Order(3)
    void aCapturedLinkMessageSentAgainIsRefusedByTheHub() throws Exception {
        ObjectNode q = JSON.createObjectNode();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", CERTNO);
        JsonNode person = his.call("1101", "630000", q);
        assertEquals("0", person.path("infcode").asText(), person.toString());
        Captured lookup = captured.stream().filter(c -> "PERSON_LOOKUP".equals(c.type())).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no PERSON_LOOKUP went through the relay: " + captured.size() + " requests"));
        HttpResponse<String> replayed = http.send(withHeaders(HttpRequest.newBuilder(URI.create(hub.httpUrl()
                + "/medsettle/link/v1")), lookup.headers()).POST(HttpRequest.BodyPublishers.ofByteArray(lookup.body()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, replayed.statusCode(), replayed.body());
        assertTrue(replayed.body().contains("replay"), replayed.body());
        assertFalse(replayed.body().contains(CERTNO), "no personal data in the refusal");

        Captured handshake = captured.stream().filter(c -> "SESSION".equals(c.type())).findFirst().orElseThrow();
        HttpResponse<String> again = http.send(withHeaders(HttpRequest.newBuilder(URI.create(hub.httpUrl()
                + "/medsettle/link/v1")), handshake.headers()).POST(HttpRequest.BodyPublishers.ofByteArray(handshake.body()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, again.statusCode(), "a captured session handshake opens no session: " + again.body());
        assertEquals("0", his.call("1101", "630000", q).path("infcode").asText(), "the node's own traffic still flows");
    }

    @Test
    @Order(5)
    void theFilingApiAndTheProbeAnswerOverHttpsWithTheNodesCertificate() throws Exception {
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(insured.home().resolve("etc/keys/https.p12"))) {
            trusted.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
        String base = "https://localhost:" + insured.env().get("MEDSETTLE_HTTPS_PORT");
        HttpResponse<String> probe = https.send(HttpRequest.newBuilder(URI.create(base + "/medsettle/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, probe.statusCode(), probe.body());
        HttpResponse<String> unsigned = https.send(HttpRequest.newBuilder(URI.create(base + FilingClient.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode(), "the filing API itself answers over HTTPS: " + unsigned.body());
        assertEquals("TLSv1.3", https.send(HttpRequest.newBuilder(URI.create(base + "/medsettle/health")).build(),
                HttpResponse.BodyHandlers.ofString()).sslSession().orElseThrow().getProtocol());
    }

    private JsonNode admission(String begin) {
        ObjectNode in = JSON.createObjectNode();
        in.putObject("mdtrtinfo").put("psn_no", PSN).put("insutype", "310").put("begntime", begin)
                .put("mdtrt_cert_type", "02").put("mdtrt_cert_no", CERTNO).put("med_type", "21").put("ipt_no", "ZY0071")
                .put("insuplc_admdvs", "630000");
        return in;
    }

    @Test
    @Order(4)
    void impossibleDatesAreRefusedWithTheFieldNamedAndNothingMovesIntoAnotherYear() {
        for (String begin : List.of("9999-12-31 23:59:59", "0000-01-01 00:00:00", "1900-01-01 00:00:00")) {
            JsonNode refused = his.call("2401", "630000", admission(begin));
            assertEquals("-2", refused.path("infcode").asText(), refused.toString());
            assertTrue(refused.path("err_msg").asText().startsWith("input.mdtrtinfo.begntime: " + begin),
                    refused.toString());
        }
        JsonNode unknown = his.call("2401", "630000", admissionOf("63000000000000000099"));
        assertEquals("-2", unknown.path("infcode").asText(), unknown.toString());
        assertTrue(unknown.path("err_msg").asText().contains("knows no person"), unknown.toString());

        JsonNode admitted = his.call("2401", "630000", admission("2026-11-20 09:00:00"));
        assertEquals("0", admitted.path("infcode").asText(), admitted.toString());
        String mdtrtId = admitted.path("output").path("result").path("mdtrt_id").asText();
        for (String end : List.of("9999-12-31 23:59:59", "2026-11-19 09:00:00")) {
            ObjectNode d = JSON.createObjectNode();
            d.putObject("dscginfo").put("mdtrt_id", mdtrtId).put("psn_no", PSN).put("insutype", "310").put("endtime", end);
            JsonNode refused = his.call("2402", "630000", d);
            assertEquals("-2", refused.path("infcode").asText(), refused.toString());
            assertTrue(refused.path("err_msg").asText().startsWith("input.dscginfo.endtime"), refused.toString());
        }
        ObjectNode cancel = JSON.createObjectNode();
        cancel.putObject("data").put("mdtrt_id", mdtrtId).put("psn_no", PSN);
        JsonNode cancelled = his.call("2404", "630000", cancel);
        assertEquals("0", cancelled.path("infcode").asText(), "the stay was still open: " + cancelled);
        String accumulators = insured.must("person-accumulators " + PSN + " 9999");
        assertTrue(accumulators.matches("(?s).*inpatient admissions\\s*\\|\\s*0\\s.*"), "nothing in year 9999: " + accumulators);
    }

    private ObjectNode admissionOf(String psnNo) {
        ObjectNode in = (ObjectNode) admission("2026-11-20 09:00:00");
        ((ObjectNode) in.get("mdtrtinfo")).put("psn_no", psnNo);
        return in;
    }
}
