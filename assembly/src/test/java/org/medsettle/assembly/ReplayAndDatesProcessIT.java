package org.medsettle.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * as real processes: a hub, a treatment node (330000) whose link to the hub goes through a recording TCP relay in
 * this test (a network attacker's position), and an insured node (630000). Also the link's mutual TLS (issue 11):
 * what the relay saw, and the hub's refusals of certificates it does not have in its directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayAndDatesProcessIT {

    private static final Path WORK = Path.of("target/it-replay-dates").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PSN = "63000000000000000071";
    private static final String KEYSTORE_PASSWORD = "it-" + java.util.UUID.randomUUID();
    private static final String CERTNO = org.medsettle.tools.SequenceReplay.certno("630000", 71);

    private ApplianceInstance hub;
    private ApplianceInstance treatment;
    private ApplianceInstance insured;
    private LinkTestClient.Relay relay;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FilingClient filings;
    private HisClient his;

    @BeforeAll
    void startTheTopology() throws Exception {
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        hub = ApplianceInstance.hub(WORK);
        relay = new LinkTestClient.Relay(Integer.parseInt(hub.env().get("MEDSETTLE_LINK_PORT")));

        treatment = ApplianceInstance.unpack(WORK, "node-330000", "330000");
        treatment.linkedTo(hub);
        // the treatment node's link to the hub goes through the relay: what a network attacker sees
        treatment.env().put("MEDSETTLE_HUB_URL", "https://127.0.0.1:" + relay.port());
        insured = ApplianceInstance.unpack(WORK, "node-630000", "630000");
        insured.linkedTo(hub);
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
            node.env().put("MEDSETTLE_HEAP", "384M");
            node.start();
        }
        for (Map.Entry<String, ApplianceInstance> e : Map.of("330000", treatment, "630000", insured).entrySet()) {
            e.getValue().awaitHealthy();
            e.getValue().registerAt(hub, e.getKey());
        }
        treatment.must("catalogue-import " + treatment.home().resolve("samples/catalogue-330000.csv"));
        treatment.must("hospital-import " + treatment.home().resolve("samples/hospitals-330000.csv"));
        his = new HisClient(treatment.httpUrl(), "H33030000001", treatment.hospitalKey("H33030000001"), "330000");
        Path persons = WORK.resolve("persons-630000.csv");
        Files.writeString(persons, "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + PSN + "," + CERTNO + ",测试,1,1960-01-01,310,1101,,1000.00,某单位\n", StandardCharsets.UTF_8);
        insured.must("person-import " + persons);
        filings = new FilingClient(insured.httpUrl(), "it", insured.filingClient("it"));
        hub.awaitHealthy();
    }

    @AfterAll
    void stopTheTopology() {
        for (ApplianceInstance i : new ApplianceInstance[] {treatment, insured, hub}) {
            if (i != null) {
                i.close();
            }
        }
        if (relay != null) {
            try {
                relay.close();
            } catch (IOException e) {
                // closing
            }
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
    void theLinkIsUnreadableOnTheWireAndAMessageSentAgainWithTheNodesOwnKeyIsRefusedByTheHub() throws Exception {
        ObjectNode q = JSON.createObjectNode();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", CERTNO);
        JsonNode person = his.call("1101", "630000", q);
        assertEquals("0", person.path("infcode").asText(), person.toString());
        // a network attacker between the node and the hub saw TLS records only
        String wire = new String(relay.seen(), StandardCharsets.ISO_8859_1);
        assertTrue(wire.length() > 1000, "the look-up went through the relay: " + wire.length() + " bytes");
        for (String secret : List.of(CERTNO, PSN, "PERSON_LOOKUP", "msg_id", "/medsettle/link")) {
            assertFalse(wire.contains(secret), secret + " crossed the network readable");
        }

        // an insider holding the node's own key (or a hub relaying twice): the same message is taken once
        LinkTestClient asTheNode = LinkTestClient.as(treatment);
        String message = LinkTestClient.message("330000-replay-1", "PERSON_LOOKUP", "330000", "630000",
                "nonce-of-the-replay-test-0001", "{\"psn_no\":\"" + PSN + "\"}");
        HttpResponse<String> first = asTheNode.post(hub.linkUrl(), "330000", message);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> replayed = asTheNode.post(hub.linkUrl(), "330000", message);
        assertEquals(401, replayed.statusCode(), replayed.body());
        assertTrue(replayed.body().contains("replay"), replayed.body());
        assertFalse(replayed.body().contains(CERTNO), "no personal data in the refusal");
        assertEquals("0", his.call("1101", "630000", q).path("infcode").asText(), "the node's own traffic still flows");
    }

    @Test
    @Order(6)
    void theHubRefusesNoForeignOrExpiredClientCertificateAndANodeOutOfItsDirectoryAndLogsEachAndSendsHisAndFilingClientsToTheirNode() throws Exception {
        String lookup = "{\"psn_no\":\"" + PSN + "\"}";
        Path dir = WORK.resolve("certificates");
        Files.createDirectories(dir);
        Path stranger = LinkTestClient.keytool(dir, "stranger", "stranger-password");
        Path expired = LinkTestClient.keytool(dir, "expired", "expired-password", "-startdate", "-400d", "-validity", "30");
        Map<String, LinkTestClient> clients = new java.util.LinkedHashMap<>();
        clients.put("no client certificate", LinkTestClient.anonymous());
        clients.put("is not in the hub's directory", LinkTestClient.holding(stranger, "stranger-password"));
        clients.put("expired at", LinkTestClient.holding(expired, "expired-password"));
        int n = 0;
        for (Map.Entry<String, LinkTestClient> c : clients.entrySet()) {
            HttpResponse<String> refused = c.getValue().post(hub.linkUrl(), "330000", LinkTestClient.message(
                    "330000-tls-" + n, "PERSON_LOOKUP", "330000", "630000", "nonce-of-the-tls-test-000" + n++, lookup));
            assertEquals(401, refused.statusCode(), c.getKey() + ": " + refused.body());
            assertTrue(refused.body().contains(c.getKey()), refused.body());
            assertFalse(refused.body().contains(CERTNO), refused.body());
        }
        // the plain HTTP port carries no client certificate: the link is not there for anyone
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/medsettle/link/v1"))
                .header("X-Medsettle-From", "330000").POST(HttpRequest.BodyPublishers.ofString(LinkTestClient.message(
                        "330000-tls-plain", "PERSON_LOOKUP", "330000", "630000", "nonce-of-the-tls-test-plain", lookup)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("no client certificate"), plain.body());
        // nor does the hub serve hospitals or agencies: its HIS and filing paths say where to send instead
        HttpResponse<String> hisAtHub = http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl()
                + "/fsi/api/rsfComIfsService/callService")).header("X-Medsettle-Hospital", "H33010000003")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, hisAtHub.statusCode(), hisAtHub.body());
        assertTrue(hisAtHub.body().contains("\"infcode\":\"-2\"") && hisAtHub.body().contains("national hub"),
                hisAtHub.body());
        HttpResponse<String> filing = http.send(HttpRequest.newBuilder(URI.create(hub.httpUrl()
                + "/medsettle/api/filings")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, filing.statusCode(), filing.body());
        assertTrue(filing.body().contains("national hub") && filing.body().contains("参保地"), filing.body());

        // the right certificate of a node the hub no longer has in its directory
        hub.must("hub-node-remove 330000");
        HttpResponse<String> removed = LinkTestClient.as(treatment).post(hub.linkUrl(), "330000", LinkTestClient.message(
                "330000-tls-removed", "PERSON_LOOKUP", "330000", "630000", "nonce-of-the-tls-test-removed", lookup));
        assertEquals(401, removed.statusCode(), removed.body());
        assertTrue(removed.body().contains(treatment.linkCertificate()) && removed.body().contains("is not in the hub's directory"),
                removed.body());
        ObjectNode q = JSON.createObjectNode();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", CERTNO);
        JsonNode refusedLookup = his.call("1101", "630000", q);
        assertEquals("-1", refusedLookup.path("infcode").asText(), refusedLookup.toString());
        treatment.registerAt(hub, "330000");
        assertEquals("0", his.call("1101", "630000", q).path("infcode").asText(), "registered again, it is let in");

        String log = Files.readString(hub.home().resolve("data/log/karaf.log"), StandardCharsets.UTF_8);
        long refusals = log.lines().filter(l -> l.contains("Hub refused a link request")).count();
        assertTrue(refusals >= 6, "each refusal is logged: " + refusals);
        for (Path store : List.of(stranger, expired)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, (store == stranger ? "stranger-password" : "expired-password").toCharArray());
            }
            String fingerprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(ks.getCertificate("medsettle-link").getEncoded()));
            assertTrue(log.contains(fingerprint.substring(0, 16)), "the log names the refused certificate " + fingerprint);
        }
        assertTrue(hub.must("audit").contains("HUB_NODE_REMOVED"), "taking a node out is audited");
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
        String accumulators = insured.must("person-accumulators " + PSN + " 2026");
        assertTrue(accumulators.matches("(?s).*inpatient admissions\\s*\\|\\s*0\\s.*"), "nothing settled: " + accumulators);
        // a year no settlement can be of is refused, not shown as a table of zeros
        ApplianceInstance.Result year9999 = insured.console("person-accumulators " + PSN + " 9999");
        assertEquals(1, year9999.exit(), year9999::toString);
        assertTrue(year9999.toString().contains("year: from 2000 to"), year9999::toString);
    }

    @Test
    @Order(5)
    void amountsAndProvincesAnOperatorTypesMustBeOfTheRealWorld() {
        // an exponent is no way to type money: "1e3" was recorded as a prepayment of 1,000 yuan
        ApplianceInstance.Result exponent = insured.console("prepayment-record --reason IT-1 630000 330000 1e3");
        assertEquals(1, exponent.exit(), exponent::toString);
        assertTrue(exponent.toString().contains("not an amount in yuan: '1e3'"), exponent::toString);
        assertFalse(insured.must("prepayment-show --history").contains("IT-1"), "nothing recorded");
        String recorded = insured.must("prepayment-record --reason IT-2 630000 330000 1000.50");
        assertTrue(recorded.contains("630000 pays 330000 1000.50 yuan") && recorded.contains("(the other node is told "
                + "through the hub)"), recorded);

        // a code of no province, or a city's, where a province is asked for: refused, not an empty list
        for (String command : List.of("policy-show 990000", "policy-show 330100", "maintenance-list --province 990000",
                "clearing-statement 100000 2026-10")) {
            ApplianceInstance.Result refused = insured.console(command);
            assertEquals(1, refused.exit(), command + ": " + refused);
            assertTrue(refused.toString().contains("not a province: '"), command + ": " + refused);
        }
        ApplianceInstance.Result provisional = treatment.console("provisional-list --province 990000");
        assertTrue(provisional.exit() == 1 && provisional.toString().contains("not a province: '990000'"),
                provisional::toString);
        ApplianceInstance.Result notAHospital = treatment.console("supervision-flags --hospital XYZ");
        assertTrue(notAHospital.exit() == 1 && notAHospital.toString().contains("--hospital: a fixmedins_code"),
                notAHospital::toString);
        assertEquals(0, treatment.console("supervision-flags --hospital H33030000001").exit());
        ApplianceInstance.Result policyMissing = insured.console("policy-show 630000 2000-01-01");
        assertEquals(1, policyMissing.exit(), policyMissing::toString);
        assertTrue(policyMissing.toString().contains("no policy of insured province 630000 is in force on 2000-01-01")
                && !policyMissing.toString().contains("settled"), policyMissing::toString);

        // a person no one is: said so, not an empty list of filings
        ApplianceInstance.Result nobody = insured.console("filing-list 63000000000000000099");
        assertEquals(1, nobody.exit(), nobody::toString);
        assertTrue(nobody.toString().contains("no person 63000000000000000099"), nobody::toString);
        assertTrue(insured.must("filing-list " + PSN).contains("filing(s) of " + PSN));
    }

    private ObjectNode admissionOf(String psnNo) {
        ObjectNode in = (ObjectNode) admission("2026-11-20 09:00:00");
        ((ObjectNode) in.get("mdtrtinfo")).put("psn_no", psnNo);
        return in;
    }
}
