package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
import org.medsettle.tools.SequenceReplay;
import org.medsettle.tools.Signed;

/**
 * The national topology in real processes from the built tarball: a hub and a node for every province that appears
 * in the conformance sequences (insured 110000, 130000, 230000, 330000, 410000, 630000; treatment 330000 and
 * 110000). Every sequence is replayed through the HIS interface over HTTP — the person imported and the filing made
 * through the filing API at the insured node, the visits settled at the treatment node — and every amount compared
 * to the fen; then settlements are reversed and the insured nodes' accumulators and balances must return exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossProvinceProcessIT {

    private static final Path WORK = Path.of("target/it-cross-province").toAbsolutePath();
    private static final List<String> PROVINCES = List.of("110000", "130000", "230000", "330000", "410000", "630000");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApplianceInstance hub;
    private final Map<String, ApplianceInstance> nodes = new LinkedHashMap<>();
    private final Map<String, FilingClient> filingClients = new HashMap<>();
    private final Map<String, Map<Integer, HisClient>> hospitals = new HashMap<>();
    private final List<JsonNode> sequences = new ArrayList<>();
    private final Map<String, String> psnNoOf = new HashMap<>();
    private final Map<String, String> certnoOf = new HashMap<>();
    private final Map<String, List<SequenceReplay.Settled>> settledOf = new HashMap<>();

    @BeforeAll
    void startTheTopology() throws Exception {
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        long start = System.nanoTime();
        hub = ApplianceInstance.hub(WORK);
        for (String p : PROVINCES) {
            ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-" + p, p);
            node.linkedTo(hub);
            node.env().put("MEDSETTLE_HEAP", "384M");
            // the reference sequences are of 2025-12 to 2026-07: plausible admissions for ten years, not 400 days
            node.setting("org.medsettle.transactions.cfg", "admissionMaxAgeDays", "3650");
            node.start();
            nodes.put(p, node);
        }
        for (Map.Entry<String, ApplianceInstance> e : nodes.entrySet()) {
            ApplianceInstance node = e.getValue();
            node.awaitConsole();
            node.registerAt(hub, e.getKey());
            filingClients.put(e.getKey(), new FilingClient(node.httpUrl(), "it", node.filingClient("it")));
        }
        for (String treatment : List.of("330000", "110000")) {
            ApplianceInstance node = nodes.get(treatment);
            node.must("catalogue-import " + node.home().resolve("samples/catalogue-" + treatment + ".csv"));
            Path csv = node.home().resolve("samples/hospitals-" + treatment + ".csv");
            node.must("hospital-import " + csv);
            Map<Integer, HisClient> byLevel = new HashMap<>();
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8).subList(1, 10)) {
                String[] f = line.split(",");
                int level = Integer.parseInt(f[2]);
                if (!byLevel.containsKey(level)) {
                    byLevel.put(level, new HisClient(node.httpUrl(), f[0], node.hospitalKey(f[0]), treatment));
                }
            }
            assertEquals(3, byLevel.size(), "hospitals of the three levels at " + treatment);
            hospitals.put(treatment, byLevel);
        }
        // the persons of every sequence, one extract per insured province
        sequences.addAll(readSequences());
        Map<String, List<String>> extracts = new HashMap<>();
        int n = 0;
        for (JsonNode seq : sequences) {
            n++;
            String insured = seq.get("insured_admdvs").asText();
            String psnNo = insured.substring(0, 2) + "9" + String.format("%017d", n);
            psnNoOf.put(seq.get("name").asText(), psnNo);
            certnoOf.put(psnNo, SequenceReplay.certno(insured, n));
            extracts.computeIfAbsent(insured, k -> new ArrayList<>(List.of(
                    "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name")))
                    .add(SequenceReplay.personCsvLine(seq, psnNo, SequenceReplay.certno(insured, n)));
        }
        for (Map.Entry<String, List<String>> e : extracts.entrySet()) {
            Path file = WORK.resolve("persons-" + e.getKey() + ".csv");
            Files.write(file, e.getValue(), StandardCharsets.UTF_8);
            nodes.get(e.getKey()).must("person-import " + file);
        }
        for (ApplianceInstance node : nodes.values()) {
            node.awaitHealthy();
        }
        hub.awaitHealthy();
        System.out.println("[measure] hub and 6 nodes started and loaded in "
                + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    }

    @AfterAll
    void stopTheTopology() {
        nodes.values().forEach(ApplianceInstance::close);
        if (hub != null) {
            hub.close();
        }
    }

    static List<JsonNode> readSequences() throws IOException, URISyntaxException {
        URL dir = CrossProvinceProcessIT.class.getResource("/reference/conformance");
        URI uri = dir.toURI();
        Path path;
        if ("jar".equals(uri.getScheme())) {
            FileSystem jar;
            try {
                jar = FileSystems.getFileSystem(uri);
            } catch (FileSystemNotFoundException e) {
                jar = FileSystems.newFileSystem(uri, Map.of());
            }
            path = jar.getPath("/reference/conformance");
        } else {
            path = Path.of(uri);
        }
        List<JsonNode> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                list.add(JSON.readTree(Files.readAllBytes(p)));
            }
        }
        return list;
    }

    @Test
    @Order(1)
    void everySequenceSettlesToTheFenThroughTheHisInterfaceOverHttp() {
        assertEquals(60, sequences.size());
        List<String> differences = new ArrayList<>();
        long start = System.nanoTime();
        int visits = 0;
        for (JsonNode seq : sequences) {
            String name = seq.get("name").asText();
            String psnNo = psnNoOf.get(name);
            Signed.Answer filed = filingClients.get(seq.get("insured_admdvs").asText()).file(SequenceReplay.filing(seq, psnNo));
            assertEquals(201, filed.status(), name + ": filing " + filed.body());
            SequenceReplay.Result result = SequenceReplay.replay(seq, psnNo,
                    hospitals.get(seq.get("treatment_admdvs").asText()), true);
            differences.addAll(result.differences());
            settledOf.put(name, result.settled());
            visits += result.settled().size();
        }
        System.out.println("[measure] 60 sequences, " + visits + " visits through HIS over HTTP across the hub in "
                + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
        if (!differences.isEmpty()) {
            fail(differences.size() + " differences:\n" + String.join("\n", differences));
        }
        assertEquals(163, visits);
    }

    @Test
    @Order(2)
    void reversingSettlementsReturnsTheInsuredNodesAccumulatorsAndBalancesExactly() {
        int reversed = 0;
        for (JsonNode seq : sequences) {
            String name = seq.get("name").asText();
            if (Math.floorMod(name.hashCode(), 3) != 0) {
                continue; // about a third of the sequences
            }
            String insured = seq.get("insured_admdvs").asText();
            String psnNo = psnNoOf.get(name);
            List<SequenceReplay.Settled> settled = settledOf.get(name);
            for (int i = settled.size() - 1; i >= 0; i--) {
                JsonNode reversal = SequenceReplay.reverse(settled.get(i), psnNo, insured);
                assertEquals(0, reversal.path("medfee_sumamt").decimalValue()
                        .add(settled.get(i).setlinfo().path("medfee_sumamt").decimalValue()).signum(), name);
                reversed++;
            }
            ApplianceInstance home = nodes.get(insured);
            String opening = seq.get("person").get("opening_balc").asText();
            for (int year : years(seq)) {
                String out = home.must("person-accumulators " + psnNo + " " + year);
                assertTrue(out.matches("(?s).*account balance\\s+\\|\\s+\\|\\s+" + opening.replace(".", "\\.") + "\\s.*"),
                        name + ": balance back to " + opening + "\n" + out);
                assertTrue(out.matches("(?s).*inpatient admissions\\s+\\|\\s+0\\s.*"), name + ": admissions\n" + out);
                for (String line : out.split("\n")) {
                    if (line.startsWith("pool ") || line.startsWith("layer ")) {
                        assertTrue(line.matches("[^|]*\\|\\s*0\\.00\\s*\\|\\s*0\\.00\\s*\\|\\s*(0\\.00)?\\s*"),
                                name + ": every accumulator back to zero: " + line);
                    }
                }
            }
        }
        assertTrue(reversed > 30, "reversed " + reversed);
    }

    private static List<Integer> years(JsonNode seq) {
        List<Integer> years = new ArrayList<>();
        for (JsonNode v : seq.get("visits")) {
            int y = LocalDate.parse(v.get("settle_date").asText()).getYear();
            if (!years.contains(y)) {
                years.add(y);
            }
        }
        return years;
    }

    @Test
    @Order(3)
    void theTransportRefusesUnsignedOversizedAndMalformedRequests() throws Exception {
        HisClient his = hospitals.get("330000").get(3);
        String url = nodes.get("330000").httpUrl() + HisClient.PATH;
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> unsigned = http.send(java.net.http.HttpRequest.newBuilder(URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertTrue(unsigned.body().contains("\"infcode\":\"-2\""), unsigned.body());
        // refused by its Content-Length at once: the answer comes after the first kilobyte, the rest never sent
        String tooBig = declaredLargerThanSent(nodes.get("330000").httpUrl(), 2 * 1024 * 1024, 1024);
        assertTrue(tooBig.startsWith("HTTP/1.1 413 "), tooBig);
        assertTrue(tooBig.contains("\"infcode\":\"-2\"") && tooBig.contains("bytes, more than the"), tooBig);
        assertEquals(List.of(String.valueOf(unsigned.body().getBytes(StandardCharsets.UTF_8).length)),
                unsigned.headers().allValues("content-length"), "a refusal comes with its length");
        // every answer comes whole with its Content-Length, never chunked (README, "The HIS interface")
        try (KeepAliveProbe probe = new KeepAliveProbe(nodes.get("330000").httpUrl(), his.hospital(),
                nodes.get("330000").hospitalKey(his.hospital()))) {
            for (int i = 0; i < 2; i++) {
                KeepAliveProbe.Response signIn = probe.post(JSON.writeValueAsBytes(his.envelope("9001",
                        his.newMsgid(), "", JSON.createObjectNode())));
                assertEquals(200, signIn.status(), signIn.headers());
                assertTrue(signIn.headers().contains("\r\ncontent-length: " + signIn.body().length + "\r\n"),
                        signIn.headers());
                assertFalse(signIn.headers().contains("transfer-encoding"), signIn.headers());
            }
        }
        Signed.Answer malformed = his.sendRaw("{\"infno\":".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, malformed.status());
        assertEquals("-2", malformed.body().path("infcode").asText());
        assertTrue(malformed.body().path("err_msg").asText().contains("not valid JSON"), malformed.body().toString());
        // nodes and hub: the link takes a message only over mutual TLS with a certificate it pins
        String message = LinkTestClient.message("x", "COVERAGE", "330000", "630000", "nonce-of-the-forged-test-1", "{}");
        ApplianceInstance qinghaiNode = nodes.get("630000");
        for (ApplianceInstance target : List.of(hub, qinghaiNode)) {
            java.net.http.HttpResponse<String> plain = http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(target.httpUrl() + "/medsettle/link/v1")).header("X-Medsettle-From", "330000")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(message))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, plain.statusCode(), target.home() + ": " + plain.body());
            java.net.http.HttpResponse<String> anonymous = LinkTestClient.anonymous().post(target.linkUrl(), "330000",
                    message);
            assertEquals(401, anonymous.statusCode(), target.home() + ": " + anonymous.body());
        }
        // a node's own certificate is not the hub's: another node cannot speak to it as the hub
        java.net.http.HttpResponse<String> impostor = LinkTestClient.as(nodes.get("330000")).post(qinghaiNode.linkUrl(),
                "100000", message);
        assertEquals(401, impostor.statusCode(), impostor.body());
        assertTrue(impostor.body().contains("MEDSETTLE_HUB_CERT"), impostor.body());
        JsonNode qinghai = sequences.stream().filter(s -> "630000".equals(s.get("insured_admdvs").asText())).findFirst()
                .orElseThrow();
        String psnNo = psnNoOf.get(qinghai.get("name").asText());
        ObjectNode q = JSON.createObjectNode();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", certnoOf.get(psnNo));
        await("the person in the hub's index").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "0".equals(his.call("1101", "", q).path("infcode").asText()));
        JsonNode person = his.call("1101", "", q);
        assertEquals(psnNo, person.path("output").path("baseinfo").path("psn_no").asText(),
                "1101 without insured place finds the person through the hub's index: " + person);
        assertEquals("630000", person.path("output").path("insuinfo").get(0).path("insuplc_admdvs").asText());

        // a node speaks only for its own province's settlements: 110000, with its own certificate through the hub,
        // cannot undo (or confirm) at 630000 a settlement made in 330000 — whose money 330000's clearing carries
        java.util.regex.Matcher applied = java.util.regex.Pattern.compile("\\b(330000\\d{14})\\b")
                .matcher(qinghaiNode.must("audit -n 10000 --type INSURED_SETTLEMENT_APPLIED"));
        assertTrue(applied.find(), "a settlement of 330000 applied at 630000");
        String theirs = applied.group(1);
        LinkTestClient beijing = LinkTestClient.as(nodes.get("110000"));
        for (String type : List.of("UNDO", "CONFIRM")) {
            java.net.http.HttpResponse<String> forged = beijing.post(hub.linkUrl(), "110000", LinkTestClient.message(
                    "110000-forged-" + type, type, "110000", "630000", "nonce-of-the-forged-" + type + "-" + theirs,
                    "{\"setl_id\":\"" + theirs + "\",\"undo_id\":\"110000" + theirs.substring(6) + "\"}"));
            assertTrue(forged.body().contains("is not a settlement of 110000"), type + ": " + forged.statusCode() + " "
                    + forged.body());
            // the insured node's answer, relayed by the hub: whole, with its length at each hop
            assertEquals(List.of(String.valueOf(forged.body().getBytes(StandardCharsets.UTF_8).length)),
                    forged.headers().allValues("content-length"), type);
        }
        assertFalse(qinghaiNode.must("audit -n 10000 --type INSURED_SETTLEMENT_UNDONE").contains(theirs), "not undone");
    }

    /**
     * A POST of the HIS interface whose {@code Content-Length} says {@code declared} bytes, of which only {@code sent}
     * are sent; what the node answers before it closes the connection. (A client that writes a whole body too large
     * before it reads — {@code HttpURLConnection} — may instead meet the connection closed under its writing: "Error
     * writing to server", seen once in a CI run of 2026-12-07 with a body of 2 MB.)
     */
    private static String declaredLargerThanSent(String httpUrl, int declared, int sent) throws IOException {
        URI node = URI.create(httpUrl);
        try (java.net.Socket socket = new java.net.Socket(node.getHost(), node.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + HisClient.PATH + " HTTP/1.1\r\nHost: " + node.getHost() + ":" + node.getPort()
                    + "\r\nContent-Type: application/json; charset=UTF-8\r\nX-Medsettle-Hospital: H33030000001\r\n"
                    + "X-Medsettle-Signature: 00\r\nContent-Length: " + declared + "\r\n\r\n";
            byte[] first = new byte[sent];
            java.util.Arrays.fill(first, (byte) ' ');
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(first);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(4)
    void theHubRoutedEverythingAndTheOutboxesAreEmpty() {
        String traffic = hub.must("hub-traffic");
        assertTrue(traffic.contains("APPLY"), traffic);
        assertTrue(traffic.contains("CONFIRM"), traffic);
        for (String treatment : List.of("330000", "110000")) {
            await("the outbox of " + treatment).atMost(Duration.ofSeconds(30))
                    .until(() -> nodes.get(treatment).must("link-status").matches("(?s).*outbox waiting\\s+\\|\\s+0\\s.*"));
        }
    }

    @Test
    @Order(5)
    void whenTheInsuredNodeIsDownAHospitalGetsMinusOneAndNoticesWaitDurablyInOrder() {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance qinghai = nodes.get("630000");
        JsonNode seq = sequences.stream().filter(s -> "630000".equals(s.get("insured_admdvs").asText())
                && "330000".equals(s.get("treatment_admdvs").asText())).findFirst().orElseThrow();
        String psnNo = psnNoOf.get(seq.get("name").asText());
        Map<Integer, HisClient> his = hospitals.get("330000");

        // hold the outbox: notices written now stay until the period is back to normal
        zhejiang.must("config:property-set -p org.medsettle.link outboxPeriodMillis 600000");
        await("the link restarted with the new period").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(3))
                .until(() -> zhejiang.console("link-status").exit() == 0);
        SequenceReplay.Result held = SequenceReplay.replay(seq, psnNo, his, false);
        int notices = held.settled().size();
        assertTrue(zhejiang.must("link-status").matches("(?s).*outbox waiting\\s+\\|\\s+" + notices + "\\s.*"),
                zhejiang.must("link-status"));

        qinghai.stop();
        // a settlement that needs the insured node: -1, a message a clerk can act on, nothing half-done
        HisClient clerk = his.get(3);
        ObjectNode settle = dischargedVisit(clerk, seq, psnNo, "ZY-DOWN", true);
        JsonNode refused = clerk.call("2304", "630000", settle);
        assertEquals("-1", refused.path("infcode").asText(), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("630000"), refused.toString());
        assertTrue(refused.path("err_msg").asText().contains("nothing was done"), refused.toString());
        assertFalse(refused.path("err_msg").asText().matches("(?s).*(http://|127\\.0\\.0\\.1|<html|Exception).*"),
                "nothing internal for the clerk: " + refused);
        // the hub answered (502: the insured node is down): the treatment node's breaker in front of the hub stays
        // closed, the other provinces are still reached
        assertTrue(zhejiang.must("link-status").matches("(?s).*circuit breaker\\s+\\|\\s+CLOSED.*"),
                zhejiang.must("link-status"));

        // the notices survive a restart of the treatment node, and wait while the receiver is down
        zhejiang.must("config:property-set -p org.medsettle.link outboxPeriodMillis 500");
        zhejiang.stop();
        zhejiang.start();
        zhejiang.awaitHealthy();
        await("failed attempts recorded").atMost(Duration.ofSeconds(60))
                .until(() -> zhejiang.must("outbox").contains("cannot be reached") || zhejiang.must("outbox").contains("HTTP 502"));
        assertTrue(zhejiang.must("link-status").matches("(?s).*outbox waiting\\s+\\|\\s+" + notices + "\\s.*"));

        // the insured node is back: the notices go out in order, are applied once, the outbox is empty
        qinghai.start();
        qinghai.awaitHealthy();
        await("the outbox to drain").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("link-status").matches("(?s).*outbox waiting\\s+\\|\\s+0\\s.*"));
        String ledger = qinghai.must("person-accumulators " + psnNo + " "
                + seq.get("visits").get(0).get("settle_date").asText().substring(0, 4));
        for (SequenceReplay.Settled s : held.settled()) {
            assertTrue(ledger.matches("(?s).*" + s.setlId() + "[^\\n]*CONFIRMED.*"), s.setlId() + " confirmed:\n" + ledger);
        }
        // and the visit refused while the insured node was down settles now
        HisClient.ok(clerk.call("2304", "630000", settle));
    }

    /**
     * A visit of {@code psnNo} (insured in 630000) admitted, billed one item of {@code seq} and discharged at
     * {@code clerk}'s hospital; answers the 2304 request that settles it.
     */
    private static ObjectNode dischargedVisit(HisClient clerk, JsonNode seq, String psnNo, String iptNo,
                                              boolean insuredDown) {
        ObjectNode admission = JSON.createObjectNode();
        admission.putObject("mdtrtinfo").put("psn_no", psnNo).put("insutype", seq.get("person").get("insutype").asText())
                .put("begntime", seq.get("visits").get(0).get("admission_date").asText() + " 08:00:00")
                .put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo).put("med_type", "21").put("ipt_no", iptNo)
                .put("insuplc_admdvs", "630000");
        JsonNode admitted = clerk.call("2401", "630000", admission);
        assertEquals(insuredDown, admitted.path("warn_msg").asText().contains("checked at settlement"),
                "admitted while the insured place is down, with a warning; otherwise without: " + admitted);
        String mdtrtId = HisClient.ok(admitted).path("result").path("mdtrt_id").asText();
        ObjectNode fees = JSON.createObjectNode();
        JsonNode item = seq.get("visits").get(0).get("items").get(0);
        fees.putArray("feedetail").addObject().put("feedetl_sn", "1").put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                .put("fee_ocur_time", item.get("fee_ocur_time").asText()).put("med_list_codg", item.get("med_list_codg").asText())
                .put("pric", new BigDecimal(item.get("pric").asText())).put("cnt", new BigDecimal(item.get("cnt").asText()))
                .put("det_item_fee_sumamt", new BigDecimal(item.get("det_item_fee_sumamt").asText()));
        HisClient.ok(clerk.call("2301", "630000", fees));
        ObjectNode discharge = JSON.createObjectNode();
        discharge.putObject("dscginfo").put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                .put("endtime", seq.get("visits").get(0).get("settle_date").asText() + " 18:00:00");
        HisClient.ok(clerk.call("2402", "630000", discharge));
        ObjectNode settle = JSON.createObjectNode();
        settle.putObject("data").put("psn_no", psnNo).put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo)
                .put("medfee_sumamt", new BigDecimal(item.get("det_item_fee_sumamt").asText())).put("mdtrt_id", mdtrtId)
                .put("acct_used_flag", "0").put("mid_setl_flag", "0");
        return settle;
    }

    @Test
    @Order(6)
    void theLoadDriverStillRunsOnASmallLoadAndItsChecksPass() throws Exception {
        ApplianceInstance qinghai = nodes.get("630000");
        Path persons = WORK.resolve("load-persons.csv");
        org.medsettle.tools.LoadDriver.main(new String[] {"persons", "20", persons.toString()});
        qinghai.must("person-import " + persons);
        org.medsettle.tools.LoadDriver.Config config = new org.medsettle.tools.LoadDriver.Config(
                new ArrayList<>(hospitals.get("330000").values()), "630000", filingClients.get("630000"),
                org.medsettle.tools.LoadDriver.items(nodes.get("330000").home().resolve("samples/catalogue-330000.csv")),
                20, new int[] {2}, 3, -1);
        org.medsettle.tools.LoadDriver.Result result = org.medsettle.tools.LoadDriver.run(config);
        assertTrue(result.problems().isEmpty(), result.problems().toString());
        assertTrue(result.steps().get(0).settlements() > 0, result.json().toString());
        assertTrue(result.steps().get(0).errors().isEmpty(), result.json().toString());
    }

    @Test
    @Order(7)
    void underPacedLoadAPolicyBundleAndTheHisAdapterAreUpdatedWithoutALostOrFailedRequest() throws Exception {
        ApplianceInstance zhejiang = nodes.get("330000");
        List<org.medsettle.tools.LoadDriver.Event> events = List.of(
                new org.medsettle.tools.LoadDriver.Event(2, "policy-630000",
                        () -> zhejiang.must("bundle:update medsettle-policy-630000")),
                new org.medsettle.tools.LoadDriver.Event(4, "his-adapter",
                        () -> zhejiang.must("bundle:update medsettle-his-rest")));
        org.medsettle.tools.LoadDriver.Config config = new org.medsettle.tools.LoadDriver.Config(
                new ArrayList<>(hospitals.get("330000").values()), "630000", filingClients.get("630000"),
                org.medsettle.tools.LoadDriver.items(zhejiang.home().resolve("samples/catalogue-330000.csv")),
                // no warm-up: a paced load on nodes that settled before; nothing here is a speed
                20, new int[] {4}, 7, -1, 10, events, org.medsettle.tools.LoadDriver.Flow.STAYS, Map.of(), 0,
                LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1), 0);
        org.medsettle.tools.LoadDriver.Result result = org.medsettle.tools.LoadDriver.run(config);
        org.medsettle.tools.LoadDriver.Step step = result.steps().get(0);
        assertTrue(result.problems().isEmpty(), "every acknowledged settlement kept, balances exact: " + result.problems());
        assertEquals(2, step.events().size(), result.json().toString());
        for (org.medsettle.tools.LoadDriver.EventOutcome e : step.events()) {
            assertTrue(e.ok(), e.label() + ": " + e.answer());
            assertEquals(0, e.failedStays(), e.label() + " failed no stay: " + result.json());
        }
        assertEquals(0, step.events().get(0).refusedAttempts(), "a policy update refuses nothing: " + result.json());
        // what hospitals may see during the adapter's swap: refusals (HTTP 503/404, nothing done) they repeat
        assertTrue(step.errors().keySet().stream().allMatch(k -> k.contains("refused attempt, repeated")),
                result.json().toString());
        assertTrue(step.settlements() > 0, result.json().toString());
        assertTrue(zhejiang.must("health").contains("OK"));
    }

    /**
     * Issue 11, item 4: the national link updated under paced load on the treatment node (330000), on the insured
     * node (630000) and on the hub — each instance's link bundle replaced while stays are settled across it. The
     * treatment node waits for its new link, senders send again a message the updating side did not take: no stay
     * fails, nothing acknowledged is lost.
     */
    @Test
    @Order(8)
    void underPacedLoadTheLinkIsUpdatedOnTheTreatmentNodeTheInsuredNodeAndTheHubWithoutAFailedStay() throws Exception {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance qinghai = nodes.get("630000");
        List<org.medsettle.tools.LoadDriver.Event> events = List.of(
                new org.medsettle.tools.LoadDriver.Event(2, "link-treatment-330000",
                        () -> zhejiang.must("bundle:update medsettle-link")),
                new org.medsettle.tools.LoadDriver.Event(5, "link-insured-630000",
                        () -> qinghai.must("bundle:update medsettle-link")),
                new org.medsettle.tools.LoadDriver.Event(8, "hub",
                        () -> hub.must("bundle:update medsettle-hub")));
        org.medsettle.tools.LoadDriver.Config config = new org.medsettle.tools.LoadDriver.Config(
                new ArrayList<>(hospitals.get("330000").values()), "630000", filingClients.get("630000"),
                org.medsettle.tools.LoadDriver.items(zhejiang.home().resolve("samples/catalogue-330000.csv")),
                // no warm-up: a paced load on nodes that settled before; nothing here is a speed
                20, new int[] {4}, 11, -1, 10, events, org.medsettle.tools.LoadDriver.Flow.STAYS, Map.of(), 0,
                LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1), 0);
        org.medsettle.tools.LoadDriver.Result result = org.medsettle.tools.LoadDriver.run(config);
        org.medsettle.tools.LoadDriver.Step step = result.steps().get(0);
        assertTrue(result.problems().isEmpty(), "every acknowledged settlement kept, balances exact: " + result.problems());
        assertEquals(3, step.events().size(), result.json().toString());
        for (org.medsettle.tools.LoadDriver.EventOutcome e : step.events()) {
            assertTrue(e.ok(), e.label() + ": " + e.answer());
            assertEquals(0, e.failedStays(), e.label() + " failed no stay: " + result.json());
        }
        assertTrue(step.errors().keySet().stream().allMatch(k -> k.contains("refused attempt, repeated")),
                result.json().toString());
        assertTrue(step.settlements() > 0, result.json().toString());
        for (ApplianceInstance instance : List.of(zhejiang, qinghai, hub)) {
            assertTrue(instance.must("health").contains("OK"), instance.must("health"));
        }
    }

    /**
     * Issue 11: a second HIS adapter, installed and removed at run time. {@code feature:install medsettle-his-file}
     * on node 330000; then ten conformance sequences for new persons replayed at once, five through signed files in
     * the exchange folder and five through the JSON adapter over HTTP, every amount to the fen; every file request
     * answered once and moved to done/; the adapter uninstalled, after which a dropped file is left alone while the
     * JSON adapter still answers.
     */
    @Test
    @Order(9)
    void aFileExchangeAdapterInstalledAtRunTimeSettlesBesideTheJsonAdapterAndIsRemoved() throws Exception {
        ApplianceInstance zhejiang = nodes.get("330000");
        Path exchange = zhejiang.home().resolve("his-exchange");
        // in/ looked at every 100 ms, not the shipped 500: forty-odd requests one after another wait for it
        zhejiang.setting("org.medsettle.his.file.cfg", "pollMillis", "100");
        zhejiang.must("feature:install medsettle-his-file");
        Map<Integer, HisClient> json = hospitals.get("330000");
        await("the file adapter made the hospitals' folders").atMost(Duration.ofSeconds(60))
                .until(() -> json.values().stream().allMatch(h -> Files.isDirectory(exchange.resolve(h.hospital()).resolve("in"))));
        Map<Integer, org.medsettle.tools.HisFileClient> files = new HashMap<>();
        json.forEach((level, h) -> files.put(level, new org.medsettle.tools.HisFileClient(exchange, h.hospital(),
                zhejiang.hospitalKey(h.hospital()), "330000", Duration.ofSeconds(60))));

        // ten sequences treated at 330000, for persons of their own (psn_no with a 7 where the first run has a 9)
        List<JsonNode> chosen = sequences.stream().filter(q -> q.get("treatment_admdvs").asText().equals("330000"))
                .limit(10).toList();
        assertEquals(10, chosen.size());
        Map<String, String> psnNos = new HashMap<>();
        Map<String, List<String>> extracts = new HashMap<>();
        int n = 0;
        for (JsonNode seq : chosen) {
            n++;
            String insured = seq.get("insured_admdvs").asText();
            String psnNo = insured.substring(0, 2) + "7" + String.format("%017d", n);
            psnNos.put(seq.get("name").asText(), psnNo);
            extracts.computeIfAbsent(insured, k -> new ArrayList<>(List.of(
                    "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name")))
                    .add(SequenceReplay.personCsvLine(seq, psnNo, SequenceReplay.certno(insured, 700 + n)));
        }
        for (Map.Entry<String, List<String>> e : extracts.entrySet()) {
            Path file = WORK.resolve("persons-file-adapter-" + e.getKey() + ".csv");
            Files.write(file, e.getValue(), StandardCharsets.UTF_8);
            nodes.get(e.getKey()).must("person-import " + file);
        }
        for (JsonNode seq : chosen) {
            Signed.Answer filed = filingClients.get(seq.get("insured_admdvs").asText())
                    .file(SequenceReplay.filing(seq, psnNos.get(seq.get("name").asText())));
            assertEquals(201, filed.status(), seq.get("name").asText() + ": filing " + filed.body());
        }
        java.util.concurrent.ExecutorService clerks = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<SequenceReplay.Result[]> byFile = clerks.submit(() -> replayAll(chosen.subList(0, 5), psnNos, files));
            java.util.concurrent.Future<SequenceReplay.Result[]> byJson = clerks.submit(() -> replayAll(chosen.subList(5, 10), psnNos, json));
            List<String> differences = new ArrayList<>();
            int visits = 0;
            int fileVisits = 0;
            for (SequenceReplay.Result r : byFile.get(5, java.util.concurrent.TimeUnit.MINUTES)) {
                differences.addAll(r.differences());
                visits += r.settled().size();
                fileVisits += r.settled().size();
            }
            for (SequenceReplay.Result r : byJson.get(5, java.util.concurrent.TimeUnit.MINUTES)) {
                differences.addAll(r.differences());
                visits += r.settled().size();
            }
            assertTrue(differences.isEmpty(), differences.size() + " differences:\n" + String.join("\n", differences));
            assertTrue(fileVisits > 0 && visits > fileVisits, fileVisits + " of " + visits + " visits through files");
        } finally {
            clerks.shutdownNow();
        }
        // every file request answered once: in/ and out/ empty, each request once in done/. The answer appears in
        // out/ a moment before its request is moved to done/ (the move is the exchange's completion): waited for
        for (HisClient h : json.values()) {
            Path dir = exchange.resolve(h.hospital());
            await("the last answered request of " + h.hospital() + " moved to done/").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        try (Stream<Path> in = Files.list(dir.resolve("in")); Stream<Path> out = Files.list(dir.resolve("out"))) {
                            assertEquals(List.of(), in.toList(), "nothing left in in/");
                            assertEquals(List.of(), out.toList(), "every answer read");
                        }
                    });
        }
        long done;
        try (Stream<Path> all = Files.walk(exchange)) {
            done = all.filter(p -> p.getParent().getFileName().toString().equals("done")).count();
        }
        assertTrue(done > 0, "requests moved to done/");

        zhejiang.must("feature:uninstall medsettle-his-file");
        HisClient anyHospital = json.values().iterator().next();
        Path late = exchange.resolve(anyHospital.hospital()).resolve("in").resolve("late.json");
        byte[] body = JSON.writeValueAsBytes(anyHospital.envelope("9001", anyHospital.newMsgid(), "", JSON.createObjectNode()));
        Files.write(late, body);
        Files.writeString(exchange.resolve(anyHospital.hospital()).resolve("in").resolve("late.sig"), "00");
        // for thirty of the removed adapter's poll periods the file stays where it is; the JSON adapter still answers
        await("a removed adapter takes nothing").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(late));
        assertEquals(200, anyHospital.send(anyHospital.envelope("9001", anyHospital.newMsgid(), "",
                JSON.createObjectNode())).status());
        assertTrue(zhejiang.must("health").contains("OK"));
    }

    /**
     * Issue 11: an adapter written by an integrator, as README "Writing another adapter" says — a route ending at
     * {@code HisEndpoint.URI} — built into a bundle by this test ({@code adapter.DropFolderAdapter}) and installed in
     * the running treatment node. Admissions for ten persons go through it and through the JSON adapter at once: every
     * one answered once with a visit of its own; a file request's msgid sent again over HTTP gets that same first answer
     * (recorded once, by the same transactions). Uninstalled, it takes no more files.
     */
    @Test
    @Order(10)
    void anAdapterBuiltByTheTestIsAddedAtRunTimeBesideTheJsonAdapterAndRemoved() throws Exception {
        ApplianceInstance zhejiang = nodes.get("330000");
        HisClient clerk = hospitals.get("330000").get(3);
        Path folder = WORK.resolve("drop-folder-adapter");
        Files.createDirectories(folder.resolve("in"));
        Files.createDirectories(folder.resolve("out"));
        Path jar = WORK.resolve("test-drop-folder-adapter.jar");
        adapterBundle(jar, folder, clerk.hospital());
        assertTrue(zhejiang.must("bundle:install -s file:" + jar).contains("Bundle ID"));
        await("the test adapter's route runs").atMost(Duration.ofSeconds(30))
                .until(() -> zhejiang.must("camel:route-list").contains("test-drop-folder"));

        String day = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1).toString();
        List<ObjectNode> byFile = new ArrayList<>();
        List<ObjectNode> byJson = new ArrayList<>();
        int n = 0;
        for (JsonNode seq : sequences) {
            if (!seq.get("treatment_admdvs").asText().equals("330000") || n == 10) {
                continue;
            }
            String insured = seq.get("insured_admdvs").asText();
            ObjectNode admission = JSON.createObjectNode();
            admission.putObject("mdtrtinfo").put("psn_no", psnNoOf.get(seq.get("name").asText()))
                    .put("insutype", seq.get("person").get("insutype").asText()).put("begntime", day + " 08:00:00")
                    .put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNoOf.get(seq.get("name").asText())).put("med_type", "21")
                    .put("ipt_no", "ZY-ADAPTER-" + n).put("insuplc_admdvs", insured);
            (n % 2 == 0 ? byFile : byJson).add(clerk.envelope("2401", clerk.newMsgid(), insured, admission));
            n++;
        }
        assertEquals(10, n);
        java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
        Map<String, JsonNode> answers = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            java.util.concurrent.Future<?> files = both.submit(() -> {
                for (ObjectNode envelope : byFile) {
                    String name = envelope.get("msgid").asText();
                    Path part = folder.resolve("in").resolve(name + ".part");
                    Files.write(part, JSON.writeValueAsBytes(envelope));
                    Files.move(part, folder.resolve("in").resolve(name + ".json"),
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                for (ObjectNode envelope : byFile) {
                    Path answer = folder.resolve("out").resolve(envelope.get("msgid").asText() + ".json");
                    await("the adapter's answer to " + answer.getFileName()).atMost(Duration.ofSeconds(60))
                            .until(() -> Files.exists(answer));
                    answers.put(envelope.get("msgid").asText(), JSON.readTree(Files.readAllBytes(answer)));
                }
                return null;
            });
            java.util.concurrent.Future<?> http = both.submit(() -> {
                for (ObjectNode envelope : byJson) {
                    answers.put(envelope.get("msgid").asText(), clerk.send(envelope).body());
                }
                return null;
            });
            files.get(2, java.util.concurrent.TimeUnit.MINUTES);
            http.get(2, java.util.concurrent.TimeUnit.MINUTES);
        } finally {
            both.shutdownNow();
        }
        assertEquals(10, answers.size());
        java.util.Set<String> visits = new java.util.HashSet<>();
        for (Map.Entry<String, JsonNode> a : answers.entrySet()) {
            assertEquals("0", a.getValue().path("infcode").asText(), a.getKey() + ": " + a.getValue());
            assertTrue(visits.add(a.getValue().path("output").path("result").path("mdtrt_id").asText()),
                    "a visit of its own: " + a.getValue());
        }
        // a file request's msgid, sent again over HTTP: the first answer, nothing done twice
        ObjectNode first = byFile.get(0);
        assertEquals(answers.get(first.get("msgid").asText()).path("output"), clerk.send(first).body().path("output"));
        // each request is moved to done/ a moment after its answer is written (the move is the exchange's completion)
        await("every file taken once").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(folder.resolve("in"))) {
                assertEquals(List.of(), left.toList(), "every file taken once");
            }
        });

        zhejiang.must("bundle:uninstall test-drop-folder-adapter");
        ObjectNode late = byJson.get(0).deepCopy().put("msgid", clerk.newMsgid());
        Path lateFile = folder.resolve("in").resolve("late.json");
        Files.write(lateFile, JSON.writeValueAsBytes(late));
        await("a removed adapter takes nothing").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> Files.exists(lateFile));
        assertTrue(zhejiang.must("health").contains("OK"));
    }

    @Test
    @Order(11)
    void whileTheHubCannotBeReachedTheCircuitBreakerAnswersClerksAtOnceAndClosesWhenTheHubIsBack() {
        ApplianceInstance zhejiang = nodes.get("330000");
        JsonNode seq = sequences.stream().filter(s -> "630000".equals(s.get("insured_admdvs").asText())
                && "330000".equals(s.get("treatment_admdvs").asText())).findFirst().orElseThrow();
        String psnNo = psnNoOf.get(seq.get("name").asText());
        HisClient clerk = hospitals.get("330000").get(2);
        ObjectNode settle = dischargedVisit(clerk, seq, psnNo, "ZY-HUB-DOWN", false);

        hub.stop();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 40 && answers.stream().noneMatch(a -> a.contains("not tried")); i++) {
            JsonNode refused = clerk.call("2304", "630000", settle);
            assertEquals("-1", refused.path("infcode").asText(), refused.toString());
            assertTrue(refused.path("err_msg").asText().contains("nothing was done"), refused.toString());
            assertFalse(refused.path("err_msg").asText().matches("(?s).*(https?://|127\\.0\\.0\\.1|Exception).*"),
                    "nothing internal for the clerk: " + refused);
            answers.add(zhejiang.must("link-status"));
        }
        String status = answers.get(answers.size() - 1);
        assertTrue(status.matches("(?s).*circuit breaker\\s+\\|\\s+OPEN since.*"), answers.toString());
        assertTrue(status.contains("not tried"), "the last failure says nothing was tried: " + status);
        assertTrue(answers.get(0).matches("(?s).*circuit breaker\\s+\\|\\s+CLOSED.*"),
                "the first failures tried the hub: " + answers.get(0));
        assertTrue(zhejiang.must("health").matches("(?s).*link\\s+\\|\\s+OK.*circuit breaker OPEN.*link-certificate.*"),
                zhejiang.must("health"));

        // the hub is back: after the breaker's time one exchange tries it (half open) — the settlement's or the
        // outbox's — and, answered, closes the breaker; the visit settles
        hub.start();
        hub.awaitHealthy();
        await("the visit to settle through the hub again").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "0".equals(clerk.call("2304", "630000", settle).path("infcode").asText()));
        await("the breaker to close").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> zhejiang.must("link-status").matches("(?s).*circuit breaker\\s+\\|\\s+CLOSED.*"));
    }

    @Test
    @Order(12)
    void aMonthIsClearedThroughTheHubOverMutualTlsAcrossAKilledHubAndANodeThatWasDown() throws IOException {
        // the month before last: every settlement of these tests is of this month, so its lines are none, and
        // what is shown here is the clearing's way through the processes (MonthlyClearingTest checks the sums)
        java.time.YearMonth month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Shanghai")).minusMonths(2);
        String id = String.format("CL%04d%02d", month.getYear(), month.getMonthValue());
        hub.setting("org.medsettle.clearing.cfg", "retrySeconds", "2");
        ApplianceInstance heilongjiang = nodes.get("230000");
        heilongjiang.stop();

        ApplianceInstance.Result refused = hub.console("auditor", "clearing-run " + month);
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);
        String started = hub.must("clearing-run " + month);
        assertTrue(started.contains("Clearing " + id + " of " + month + " started with 6 node(s)"), started);
        ApplianceInstance.Result twice = hub.console("clearing-run " + month);
        assertTrue(twice.exit() != 0 && twice.toString().contains("a month is cleared once"), twice::toString);
        await("the other nodes' reports, and 230000's failure").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    String show = hub.must("clearing-show " + month);
                    return show.contains("COLLECTING") && show.matches("(?s).*230000\\s+\\|\\s+WAITING.*\\|[^\n]*report: .*")
                            && show.split("REPORTED", -1).length - 1 == 5;
                });

        // kill -9 of the hub in the middle of the run; the node comes back: the run resumes and ends
        hub.kill();
        heilongjiang.start();
        hub.start();
        hub.awaitHealthy();
        heilongjiang.awaitHealthy();
        await("the clearing to end").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.must("clearing-show").matches("(?s).*" + id + "\\s+\\|\\s+" + month + "\\s+\\|\\s+CLEARED.*"));
        String show = hub.must("clearing-show " + month);
        assertEquals(6, show.split("REPORTED", -1).length - 1, show);
        for (Map.Entry<String, ApplianceInstance> e : nodes.entrySet()) {
            String mine = e.getValue().must("clearing-show");
            assertTrue(mine.matches("(?s).*" + id + "\\s+\\|\\s+" + month + "\\s+\\|\\s+0\\s+\\|\\s+0\\s+\\|\\s+0\\s+\\|\\s+20.*"),
                    e.getKey() + ": " + mine);
            String statement = e.getValue().must("clearing-statement " + e.getKey() + " " + month);
            assertTrue(statement.contains("Receives 0.00, pays 0.00, net 0.00"), statement);
        }
        assertTrue(hub.must("clearing-statement --csv 330000 " + month)
                .startsWith("clearing_id,month,province,counterpart,direction,lines,hifp_pay,"));
        String written = hub.must("clearing-picture " + month);
        Path svg = hub.home().resolve("data/clearing/" + id + ".svg");
        assertTrue(written.contains(svg.toString()) && Files.readString(svg).contains(id), written);
        ApplianceInstance.Result picture = hub.console("auditor", "clearing-picture " + month);
        assertTrue(picture.exit() != 0, "writing a file is for administrators: " + picture);
        assertTrue(hub.must("clearing-cases " + month).contains("0 case(s) in clearing " + id));
        ApplianceInstance.Result notANode = nodes.get("330000").console("clearing-run " + month);
        assertTrue(notANode.exit() != 0 && notANode.toString().contains("MEDSETTLE_ROLE=hub"), notANode::toString);
    }

    @Test
    @Order(13)
    void aPrepaymentRecordedAtOneNodeOrTheHubReachesTheOtherAndAnEmergencyTopUpIsAskedOnce() {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance qinghai = nodes.get("630000");
        zhejiang.setting("org.medsettle.prepayment.cfg", "checkSeconds", "1");
        // the prepayments restart with their new setting, and Karaf registers the console's commands again meanwhile
        // ("Command not found" for a moment: docs/stack.md, trap 54)
        await("the console after the setting").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> zhejiang.console("prepayment-show").exit() == 0
                        && zhejiang.console("ledger-balances claim:630000:").exit() == 0);
        int year = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).getYear();
        // what 330000 claims of 630000 now (the settlements of these tests not reversed)
        long outstanding = 0;
        for (String line : zhejiang.must("ledger-balances claim:630000:").split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("claim:630000:\\w+\\s+\\|\\s+(-?[0-9.]+)")
                    .matcher(line);
            if (m.find()) {
                outstanding += new java.math.BigDecimal(m.group(1)).movePointRight(2).longValueExact();
            }
        }
        assertTrue(outstanding > 0, "330000 has claims on 630000");
        ApplianceInstance.Result refused = qinghai.console("auditor", "prepayment-record --reason x 630000 330000 1.00");
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);
        ApplianceInstance.Result bad = qinghai.console("prepayment-record --reason x 630000 330000 -5.00");
        assertTrue(bad.exit() != 0 && bad.toString().contains("more than 0"), bad::toString);

        // recorded at the insured node (most of it) and through the hub (the rest): usage 95 %
        long prepaid = outstanding * 100 / 95;
        long atNode = prepaid - 100;
        String recorded = qinghai.must("prepayment-record --reason BANK-2026-0001 630000 330000 "
                + java.math.BigDecimal.valueOf(atNode, 2).toPlainString());
        assertTrue(recorded.contains("630000 pays 330000"), recorded);
        String viaHub = hub.must("prepayment-record --reason BANK-2026-0002 630000 330000 1.00");
        assertTrue(viaHub.contains("recorded at 630000's node"), viaHub);
        String total = java.math.BigDecimal.valueOf(prepaid, 2).toPlainString();
        await("both prepayments at 330000").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("prepayment-show").matches("(?s).*630000\\s+\\|\\s+330000\\s+\\|\\s+" + year
                        + "\\s+\\|\\s+" + java.util.regex.Pattern.quote(total) + ".*"));
        await("the emergency top-up to reach 630000").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> qinghai.must("health").contains("EMERGENCY TOP-UP"));
        String show = zhejiang.must("prepayment-show");
        assertTrue(show.contains("EMERGENCY"), show);
        assertTrue(zhejiang.must("audit -t PREPAYMENT_EMERGENCY").contains("630000"), "audited once");
        assertEquals(1, zhejiang.must("audit -t PREPAYMENT_EMERGENCY").split("EMERGENCY TOP-UP", -1).length - 1,
                "asked once for one crossing");
        String history = qinghai.must("prepayment-show --history");
        assertTrue(history.contains("BANK-2026-0001") && history.contains("BANK-2026-0002"), history);
        assertTrue(zhejiang.must("ledger-balances prepaid:").contains("-" + total), "330000 holds the prepayment");
    }

    @Test
    @Order(14)
    void anAssistedAuditOpenedByTheInsuredNodeIsAnsweredWithTheBillByTheTreatmentNode() {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance qinghai = nodes.get("630000");
        String caseId = null;
        List<String> tried = new ArrayList<>();
        for (JsonNode seq : sequences) {
            if (caseId != null || !"630000".equals(seq.get("insured_admdvs").asText())
                    || !"330000".equals(seq.get("treatment_admdvs").asText())) {
                continue;
            }
            for (SequenceReplay.Settled s : settledOf.getOrDefault(seq.get("name").asText(), List.of())) {
                if (caseId == null && s.setlinfo().path("medfee_sumamt").decimalValue().compareTo(
                        new java.math.BigDecimal("30000")) > 0) {
                    ApplianceInstance.Result r = qinghai.console("assisted-audit-open --question drug-lines --days 10 "
                            + s.setlId());
                    tried.add(r.toString());
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Assisted audit (\\S+) opened")
                            .matcher(r.out());
                    if (r.exit() == 0 && m.find()) {
                        caseId = m.group(1);
                    }
                }
            }
        }
        assertTrue(caseId != null, "a stay above 30,000 yuan to audit: " + tried);
        String id = caseId;
        ApplianceInstance.Result small = qinghai.console("assisted-audit-open --question q NO-SUCH-SETTLEMENT");
        assertTrue(small.exit() != 0 && small.toString().contains("no settlement"), small::toString);
        await("the case at 330000").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("assisted-audit-list --open").contains(id));
        ApplianceInstance.Result refused = zhejiang.console("auditor", "assisted-audit-answer --comment x " + id);
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);
        String answered = zhejiang.must("assisted-audit-answer --comment prescribed-by-the-ward " + id);
        assertTrue(answered.contains("fee lines of visit"), answered);
        await("the answer at 630000").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> qinghai.must("assisted-audit-show " + id).contains("prescribed-by-the-ward"));
        String shown = qinghai.must("assisted-audit-show " + id);
        assertTrue(shown.contains("ANSWERED") && shown.contains("det_item_fee_sumamt"), shown);
        assertTrue(qinghai.must("health").matches("(?s).*assisted-audit\\s+\\|\\s+OK.*0 case\\(s\\) open.*"),
                qinghai.must("health"));
    }

    /** An inpatient stay at {@code clerk}: admitted, one blood test (血常规) billed, discharged; its mdtrt_id. */
    private static String stayAt(HisClient clerk, String insured, String psnNo, String insutype, String begin,
                                 String feeTime, String end) {
        return stayAt(clerk, insured, psnNo, insutype, begin, feeTime, end, "000141388808906", new BigDecimal("9.00"));
    }

    /** The policy file a province's bundle ships (version 2026.1 from 2026-01-01); every node reads the hub every 2 s. */
    private String shippedPolicyPolledEveryTwoSeconds(String province) throws IOException {
        for (ApplianceInstance node : nodes.values()) {
            node.setting("org.medsettle.policy.distribution.cfg", "pollSeconds", "2");
        }
        String shipped = Files.readString(Path.of("../bundles/policies/" + province + "/src/main/resources/policy/"
                + province + ".json"), StandardCharsets.UTF_8);
        assertTrue(shipped.contains("\"version\": \"2026.1\"") && shipped.contains("\"effectiveFrom\": \"2026-01-01\""));
        return shipped;
    }

    /** An inpatient stay admitted, billed one line of {@code code} for {@code amount}, and discharged; its mdtrt_id. */
    private static String stayAt(HisClient clerk, String insured, String psnNo, String insutype, String begin,
                                 String feeTime, String end, String code, BigDecimal amount) {
        ObjectNode in = JSON.createObjectNode();
        in.putObject("mdtrtinfo").put("psn_no", psnNo).put("insutype", insutype).put("begntime", begin)
                .put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo).put("med_type", "21").put("ipt_no", "ZY-S")
                .put("insuplc_admdvs", insured);
        String mdtrtId = HisClient.ok(clerk.call("2401", insured, in)).path("result").path("mdtrt_id").asText();
        ObjectNode fees = JSON.createObjectNode();
        fees.putArray("feedetail").addObject().put("feedetl_sn", "S1").put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                .put("med_type", "21").put("fee_ocur_time", feeTime).put("med_list_codg", code)
                .put("medins_list_codg", "H-S1").put("det_item_fee_sumamt", amount)
                .put("cnt", BigDecimal.ONE).put("pric", amount);
        HisClient.ok(clerk.call("2301", insured, fees));
        ObjectNode out = JSON.createObjectNode();
        out.putObject("dscginfo").put("mdtrt_id", mdtrtId).put("psn_no", psnNo).put("insutype", insutype)
                .put("endtime", end).put("dscg_way", "1");
        HisClient.ok(clerk.call("2402", insured, out));
        return mdtrtId;
    }

    private static JsonNode settleStay(HisClient clerk, String insured, String psnNo, String insutype, String mdtrtId) {
        ObjectNode setl = JSON.createObjectNode();
        setl.putObject("data").put("psn_no", psnNo).put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo)
                .put("medfee_sumamt", new BigDecimal("9.00")).put("psn_setlway", "01").put("mdtrt_id", mdtrtId)
                .put("insutype", insutype).put("acct_used_flag", "0").put("mid_setl_flag", "0");
        return clerk.call("2304", insured, setl);
    }

    @Test
    @Order(15)
    void theSupervisionRulesFlagAStayOverlappingAnotherBlockWhenSetAtRunTimeAndAnAdministratorReviewsTheFlag()
            throws IOException {
        ApplianceInstance zhejiang = nodes.get("330000");
        assertTrue(zhejiang.must("supervision-rules").matches("(?s).*overlapping-stay\\s+\\|\\s+flag.*"),
                zhejiang.must("supervision-rules"));
        // a person of a sequence treated here, in hospital at one of its levels: a second stay at another level at
        // the same time
        JsonNode seq = sequences.stream().filter(q -> "330000".equals(q.get("treatment_admdvs").asText()))
                .filter(q -> "21".equals(q.get("visits").get(0).get("med_type").asText())
                        && !q.get("visits").get(0).get("admission_date").asText()
                        .equals(q.get("visits").get(0).get("settle_date").asText()))
                .findFirst().orElseThrow();
        JsonNode first = seq.get("visits").get(0);
        String insured = seq.get("insured_admdvs").asText();
        String insutype = seq.get("person").get("insutype").asText();
        String psnNo = psnNoOf.get(seq.get("name").asText());
        int level = first.get("hosp_lv").asInt();
        HisClient elsewhere = hospitals.get("330000").get(level == 3 ? 2 : 3);
        String a = first.get("admission_date").asText();
        String s = first.get("settle_date").asText();
        String mdtrtId = stayAt(elsewhere, insured, psnNo, insutype, a + " 12:00:00", a + " 13:17:00", s + " 17:00:00");
        JsonNode flagged = settleStay(elsewhere, insured, psnNo, insutype, mdtrtId);
        assertEquals("0", flagged.path("infcode").asText(), flagged::toString);
        assertTrue(flagged.path("warn_msg").asText().contains("overlapping-stay: in hospital at "
                + hospitals.get("330000").get(level).hospital()), flagged::toString);
        String listed = zhejiang.must("supervision-flags --rule overlapping-stay --visit " + mdtrtId);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(\\d+)\\s+\\|").matcher(listed);
        assertTrue(m.find(), listed);
        String flagId = m.group(1);
        assertTrue(listed.contains(flagged.path("output").path("setlinfo").path("setl_id").asText()), listed);
        // an auditor reads the flags but cannot review one; an administrator reviews it once, audited
        assertEquals(0, zhejiang.console("auditor", "supervision-flags --open").exit());
        ApplianceInstance.Result refused = zhejiang.console("auditor", "supervision-review --comment x " + flagId
                + " dismissed");
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);
        ApplianceInstance.Result bad = zhejiang.console("supervision-review --comment x " + flagId + " maybe");
        assertTrue(bad.exit() != 0 && bad.toString().contains("confirmed or dismissed"), bad::toString);
        String reviewed = zhejiang.must("supervision-review --comment two-admissions-checked " + flagId + " confirmed");
        assertTrue(reviewed.contains(") confirmed by "), reviewed);
        ApplianceInstance.Result twice = zhejiang.console("supervision-review --comment again " + flagId + " dismissed");
        assertTrue(twice.exit() != 0 && twice.toString().contains("confirmed already"), twice::toString);
        assertTrue(zhejiang.must("audit --type SUPERVISION_FLAG_REVIEWED").contains("flag " + flagId),
                zhejiang.must("audit --type SUPERVISION_FLAG_REVIEWED"));
        assertTrue(zhejiang.must("supervision-flags " + flagId).contains("two-admissions-checked"));
        // set to block in etc/org.medsettle.supervision.cfg while the node runs: a third stay at the same time is
        // refused, nothing settled, the refusal listed
        zhejiang.setting("org.medsettle.supervision.cfg", "overlapping-stay", "block");
        await("block in force").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("supervision-rules").matches("(?s).*overlapping-stay\\s+\\|\\s+block.*"));
        HisClient third = hospitals.get("330000").get(1);
        String blockedId = stayAt(third, insured, psnNo, insutype, a + " 12:30:00", a + " 14:29:00", s + " 17:30:00");
        JsonNode blocked = settleStay(third, insured, psnNo, insutype, blockedId);
        assertEquals("-2", blocked.path("infcode").asText(), blocked::toString);
        assertTrue(blocked.path("err_msg").asText().contains("refused by the province's supervision rules"),
                blocked::toString);
        assertTrue(zhejiang.must("supervision-flags --visit " + blockedId).contains("(refused)"));
        zhejiang.setting("org.medsettle.supervision.cfg", "overlapping-stay", "flag");
        await("flag in force").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("supervision-rules").matches("(?s).*overlapping-stay\\s+\\|\\s+flag.*"));
        assertEquals("0", settleStay(third, insured, psnNo, insutype, blockedId).path("infcode").asText());
        // a person information request with a name the insured record does not have: answered, warned, recorded
        ObjectNode who = JSON.createObjectNode();
        who.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", certnoOf.get(psnNo))
                .put("psn_name", "冒名者");
        JsonNode answer = elsewhere.call("1101", insured, who);
        assertEquals("0", answer.path("infcode").asText(), answer::toString);
        assertTrue(answer.path("warn_msg").asText().contains("the identity check failed"), answer::toString);
        assertTrue(zhejiang.must("health").matches("(?s).*supervision\\s+\\|\\s+OK.*waiting for review.*"),
                zhejiang.must("health"));
    }

    @Test
    @Order(16)
    void aMaintenanceWindowAnnouncedAtTheInsuredNodeIsToldToClerksAtTheTreatmentNodeAndRefusesWhileItIsOpen() {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance qinghai = nodes.get("630000");
        zhejiang.setting("org.medsettle.maintenance.cfg", "pollSeconds", "2");
        JsonNode seq = sequences.stream().filter(q -> "630000".equals(q.get("insured_admdvs").asText())
                && "330000".equals(q.get("treatment_admdvs").asText())).findFirst().orElseThrow();
        String psnNo = psnNoOf.get(seq.get("name").asText());
        HisClient clerk = hospitals.get("330000").get(3);
        ObjectNode who = JSON.createObjectNode();
        who.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", certnoOf.get(psnNo));
        java.time.format.DateTimeFormatter minute = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai"));

        // a window ahead: announced at 630000 through the hub, listed there and at the hub at once
        String announced = qinghai.must("maintenance-announce " + minute.format(now.plusHours(2)) + " "
                + minute.format(now.plusHours(3)) + " 系统升级");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Maintenance window (\\d+) of 630000").matcher(announced);
        assertTrue(m.find(), announced);
        String ahead = m.group(1);
        assertTrue(hub.must("maintenance-list").contains("系统升级"), hub.must("maintenance-list"));
        assertTrue(qinghai.must("audit --type MAINTENANCE_ANNOUNCED").contains("window " + ahead));
        // what is not a window is refused, and nothing announced; an auditor reads the list but announces nothing
        ApplianceInstance.Result backwards = qinghai.console("maintenance-announce " + minute.format(now.plusHours(5))
                + " " + minute.format(now.plusHours(4)) + " x");
        assertTrue(backwards.exit() != 0 && backwards.toString().contains("before it begins"), backwards::toString);
        assertEquals(0, qinghai.console("auditor", "maintenance-list").exit());
        ApplianceInstance.Result refused = qinghai.console("auditor", "maintenance-announce "
                + minute.format(now.plusHours(6)) + " " + minute.format(now.plusHours(7)) + " x");
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);
        // 330000 reads it from the hub; its clerks are told when they ask for a person of 630000
        await("330000 knows the window").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("maintenance-list --province 630000").contains("系统升级"));
        assertTrue(zhejiang.must("health").matches("(?s).*maintenance\\s+\\|\\s+OK[^\\n]*630000[^\\n]*系统升级.*"),
                zhejiang.must("health"));
        JsonNode warned = clerk.call("1101", "630000", who);
        assertEquals("0", warned.path("infcode").asText(), warned::toString);
        assertTrue(warned.path("warn_msg").asText().contains("停机公告"), warned::toString);

        // a window open now: 330000 does not ask 630000 and says until when; cancelled, it asks again
        String down = qinghai.must("maintenance-announce " + minute.format(now) + " " + minute.format(now.plusHours(1))
                + " 紧急维护");
        java.util.regex.Matcher d = java.util.regex.Pattern.compile("Maintenance window (\\d+) of 630000").matcher(down);
        assertTrue(d.find(), down);
        await("330000 refuses while 630000 is down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "-1".equals(clerk.call("1101", "630000", who).path("infcode").asText()));
        JsonNode refusedNow = clerk.call("1101", "630000", who);
        assertTrue(refusedNow.path("err_msg").asText().contains("停机维护")
                && refusedNow.path("err_msg").asText().contains("紧急维护"), refusedNow::toString);
        assertTrue(zhejiang.must("maintenance-list").contains("DOWN"));
        qinghai.must("maintenance-cancel " + d.group(1));
        ApplianceInstance.Result again = qinghai.console("maintenance-cancel " + d.group(1));
        assertTrue(again.exit() != 0 && again.toString().contains("no maintenance window"), again::toString);
        await("330000 asks 630000 again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "0".equals(clerk.call("1101", "630000", who).path("infcode").asText()));
        qinghai.must("maintenance-cancel " + ahead);
        await("no window left at 330000").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> zhejiang.must("maintenance-list").contains("0 window(s)"));
    }

    /** A stay of one of this test's persons: where, its visit and what the hospital was told. */
    private record Stay(String psnNo, HisClient clerk, String mdtrtId, BigDecimal total, String setlId,
                        BigDecimal fundPay, BigDecimal hifpPay) {
    }

    /** Admitted ({@code day}), billed ({@code items}: code, price, count) and discharged two days later at {@code clerk}. */
    private static Stay admittedAndDischarged(HisClient clerk, String psnNo, LocalDate day, List<String[]> items,
                                              String iptNo) {
        ObjectNode admission = JSON.createObjectNode();
        admission.putObject("mdtrtinfo").put("psn_no", psnNo).put("insutype", "310")
                .put("begntime", day + " 08:00:00").put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo)
                .put("med_type", "21").put("ipt_no", iptNo).put("insuplc_admdvs", "630000");
        String mdtrtId = HisClient.ok(clerk.call("2401", "630000", admission)).path("result").path("mdtrt_id").asText();
        ObjectNode fees = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode lines = fees.putArray("feedetail");
        BigDecimal total = BigDecimal.ZERO;
        int sn = 0;
        for (String[] item : items) {
            BigDecimal amount = new BigDecimal(item[1]).multiply(new BigDecimal(item[2])).setScale(2);
            total = total.add(amount);
            lines.addObject().put("feedetl_sn", Integer.toString(++sn)).put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                    .put("fee_ocur_time", day.plusDays(1) + " 10:00:00").put("med_list_codg", item[0])
                    .put("pric", new BigDecimal(item[1])).put("cnt", new BigDecimal(item[2]))
                    .put("det_item_fee_sumamt", amount);
        }
        HisClient.ok(clerk.call("2301", "630000", fees));
        ObjectNode discharge = JSON.createObjectNode();
        discharge.putObject("dscginfo").put("mdtrt_id", mdtrtId).put("psn_no", psnNo)
                .put("endtime", day.plusDays(2) + " 18:00:00");
        HisClient.ok(clerk.call("2402", "630000", discharge));
        return new Stay(psnNo, clerk, mdtrtId, total, null, null, null);
    }

    private static ObjectNode settlementOf(Stay stay) {
        ObjectNode settle = JSON.createObjectNode();
        settle.putObject("data").put("psn_no", stay.psnNo()).put("mdtrt_cert_type", "01").put("mdtrt_cert_no", stay.psnNo())
                .put("medfee_sumamt", stay.total()).put("mdtrt_id", stay.mdtrtId()).put("insutype", "310")
                .put("acct_used_flag", "0").put("mid_setl_flag", "0");
        return settle;
    }

    private static Stay settled(Stay stay, JsonNode output) {
        JsonNode info = output.path("setlinfo");
        return new Stay(stay.psnNo(), stay.clerk(), stay.mdtrtId(), stay.total(), info.path("setl_id").asText(),
                info.path("fund_pay_sumamt").decimalValue(), info.path("hifp_pay").decimalValue());
    }

    /** How many provisional settlements a node lists in {@code state}. */
    private static int provisional(ApplianceInstance node, String state) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) provisional settlement\\(s\\)")
                .matcher(node.must("provisional-list --limit 10000 --state " + state));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    /** The total of the ledger's accounts beginning with {@code prefix} at {@code node}, in yuan. */
    private static BigDecimal ledgerTotal(ApplianceInstance node, String prefix) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("account\\(s\\), total (-?[0-9.]+)")
                .matcher(node.must("ledger-balances " + prefix));
        assertTrue(m.find());
        return new BigDecimal(m.group(1));
    }

    @Test
    @Order(17)
    void whileTheInsuredNodeIsDownTwoTreatmentNodesSettleProvisionallyAndEveryStayEndsAppliedOrAsAReviewCase()
            throws IOException {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance beijing = nodes.get("110000");
        ApplianceInstance qinghai = nodes.get("630000");
        for (ApplianceInstance node : List.of(zhejiang, beijing)) {
            node.setting("org.medsettle.transactions.cfg", "provisional.limit.630000", "20000.00/5000000.00");
            node.setting("org.medsettle.transactions.cfg", "provisional.afterSeconds", "3");
            // the queue applied every 2 s instead of the shipped 10 (the test waits for it three times)
            node.setting("org.medsettle.transactions.cfg", "provisional.applySeconds", "2");
            node.setting("org.medsettle.maintenance.cfg", "pollSeconds", "2");
        }
        for (ApplianceInstance node : List.of(zhejiang, beijing)) {
            await("630000 opted in at " + node.home().getFileName()).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> node.must("provisional-list").contains("Risk limit for 630000: 20000.00"));
        }
        // an auditor lists, but neither applies nor closes a case
        assertEquals(0, zhejiang.console("auditor", "provisional-list").exit());
        ApplianceInstance.Result refused = zhejiang.console("auditor", "provisional-apply");
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);

        // 200 persons insured in 630000, the first 100 filed for treatment in 330000, the others in 110000 (the
        // first 10 also in 110000, for the second run)
        List<String> csv = new ArrayList<>(List.of(
                "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name"));
        List<String> persons = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String psnNo = "638" + String.format("%017d", i + 1);
            persons.add(psnNo);
            String certno = SequenceReplay.certno("630000", 500 + i);
            csv.add(psnNo + "," + certno + ",测试," + SequenceReplay.gender(certno) + ",1960-01-01,310,1101,,0.00,");
        }
        Path file = WORK.resolve("persons-provisional.csv");
        Files.write(file, csv, StandardCharsets.UTF_8);
        qinghai.must("person-import " + file);
        for (int i = 0; i < 200; i++) {
            for (String treatment : i < 10 ? List.of("330000", "110000") : List.of(i < 100 ? "330000" : "110000")) {
                ObjectNode f = JSON.createObjectNode().put("psn_no", persons.get(i)).put("category", "TEMPORARY")
                        .put("mdtrtarea_admvs", treatment).put("valid_from", "2026-01-01").put("valid_to", "2026-12-31")
                        .put("evidence", "个人承诺").put("reason", "provisional").put("operator", "counter-01");
                Signed.Answer filed = filingClients.get("630000").file(f);
                assertTrue(filed.status() == 200 || filed.status() == 201, filed::toString);
            }
        }
        // bills: items of each treatment province's catalogue, above the deductible
        List<String[]> zhejiangBill = List.of(new String[] {"X6690743915000806360837", "720.00", "1"},
                new String[] {"XB05AAA448A030869010040", "17.76", "10"},
                new String[] {"XL01XAA415A940769565356", "720.00", "14"});
        JsonNode beijingSeq = sequences.stream().filter(q -> "110000".equals(q.get("treatment_admdvs").asText()))
                .findFirst().orElseThrow();
        List<String[]> beijingBill = new ArrayList<>();
        for (JsonNode item : beijingSeq.get("visits").get(0).get("items")) {
            beijingBill.add(new String[] {item.get("med_list_codg").asText(), item.get("pric").asText(),
                    item.get("cnt").asText()});
        }
        HisClient zhejiangClerk = hospitals.get("330000").get(3);
        HisClient beijingClerk = hospitals.get("110000").get(3);

        // the hub was killed and started again by an earlier test (Order 12): a node whose breaker opened then may
        // still be open for its last seconds — an admission then keeps no coverage, and its settlement cannot be
        // provisional. Person look-ups through each node until its breaker is closed. (Seen once, 110000's, CI of
        // 2026-12-04, when a half-open breaker kept two failed trials of three and opened again on the next exchange
        // 30 s later; one trial decides since.)
        ObjectNode somebody = JSON.createObjectNode();
        somebody.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", SequenceReplay.certno("630000", 500));
        for (var nodeAndClerk : List.of(Map.entry(zhejiang, zhejiangClerk), Map.entry(beijing, beijingClerk))) {
            ApplianceInstance node = nodeAndClerk.getKey();
            HisClient clerk = nodeAndClerk.getValue();
            await("the circuit breaker of " + node.home().getFileName() + " closed").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        clerk.call("1101", "630000", somebody);
                        return node.must("link-status").matches("(?s).*circuit breaker\\s+\\|\\s+CLOSED.*");
                    });
        }

        // run 1: admitted while 630000 answers (what is known of each person is kept then)
        List<Stay> stays = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            stays.add(i < 100 ? admittedAndDischarged(zhejiangClerk, persons.get(i), LocalDate.of(2026, 11, 20),
                    zhejiangBill, "ZY-P" + i)
                    : admittedAndDischarged(beijingClerk, persons.get(i), LocalDate.of(2026, 11, 20), beijingBill,
                    "ZY-P" + i));
        }
        BigDecimal owedBefore = ledgerTotal(qinghai, "owed:330000").add(ledgerTotal(qinghai, "owed:110000"));
        // 630000 announces it is down, then stops
        java.time.format.DateTimeFormatter minute = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai"));
        String announced = qinghai.must("maintenance-announce " + minute.format(now) + " "
                + minute.format(now.plusHours(2)) + " 系统升级");
        java.util.regex.Matcher w = java.util.regex.Pattern.compile("Maintenance window (\\d+) of 630000").matcher(announced);
        assertTrue(w.find(), announced);
        for (ApplianceInstance node : List.of(zhejiang, beijing)) {
            await("the window known at " + node.home().getFileName()).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> node.must("maintenance-list").contains("DOWN"));
        }
        qinghai.stop();
        List<Stay> told = new ArrayList<>();
        for (Stay stay : stays) {
            JsonNode answer = stay.clerk().call("2304", "630000", settlementOf(stay));
            assertEquals("0", answer.path("infcode").asText(), answer::toString);
            assertTrue(answer.path("warn_msg").asText().contains("PROVISIONAL SETTLEMENT (暂记结算)"), answer::toString);
            told.add(settled(stay, answer.path("output")));
        }
        // kill -9 of a treatment node: its queue is what it committed
        zhejiang.kill();
        zhejiang.start();
        zhejiang.awaitHealthy();
        assertEquals(100, provisional(zhejiang, "QUEUED"));
        assertEquals(100, provisional(beijing, "QUEUED"));
        // 630000 back, its window ended: both queues are applied — across a kill -9 of 630000 while they are
        qinghai.start();
        qinghai.awaitHealthy();
        qinghai.must("maintenance-cancel " + w.group(1));
        await("the first applied").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> provisional(zhejiang, "APPLIED") + provisional(beijing, "APPLIED") > 0);
        qinghai.kill();
        qinghai.start();
        qinghai.awaitHealthy();
        for (ApplianceInstance node : List.of(zhejiang, beijing)) {
            await("every provisional settlement applied at " + node.home().getFileName()).atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(2)).until(() -> provisional(node, "APPLIED") == 100);
            assertEquals(0, provisional(node, "CASE"), node.must("provisional-list --state CASE --detail"));
        }
        // the insured province owes exactly what the hospitals were told, once each
        BigDecimal toldFunds = told.stream().map(Stay::fundPay).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal owedAfter = ledgerTotal(qinghai, "owed:330000").add(ledgerTotal(qinghai, "owed:110000"));
        assertEquals(0, toldFunds.compareTo(owedBefore.subtract(owedAfter).abs()), "owed " + owedBefore + " -> "
                + owedAfter + ", told " + toldFunds);
        // the accumulators: one admission, the fund's part as told, the settlement once (sampled)
        for (int i : List.of(0, 57, 99, 100, 163, 199)) {
            Stay s = told.get(i);
            String acc = qinghai.must("person-accumulators " + s.psnNo() + " 2026");
            assertTrue(acc.matches("(?s).*inpatient admissions\\s+\\|\\s+1\\s.*"), acc);
            assertTrue(acc.matches("(?s).*pool inpatient\\s+\\|[^|]*\\|\\s+" + s.hifpPay().setScale(2) + "\\s.*"), acc);
            assertEquals(1, acc.split(s.setlId(), -1).length - 1, acc);
        }

        // run 2: persons 0-19 admitted at 330000 (known then); persons 0-9 then settle a stay at 110000 online; 630000
        // stops without notice: after 3 s of silence 330000 settles provisionally from what it knew, which for 0-9
        // is stale — those, and only those, become review cases
        List<Stay> second = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            second.add(admittedAndDischarged(zhejiangClerk, persons.get(i), LocalDate.of(2026, 11, 27), zhejiangBill,
                    "ZY-Q" + i));
        }
        for (int i = 0; i < 10; i++) {
            Stay elsewhere = admittedAndDischarged(beijingClerk, persons.get(i), LocalDate.of(2026, 11, 10), beijingBill,
                    "ZY-E" + i);
            HisClient.ok(beijingClerk.call("2304", "630000", settlementOf(elsewhere)));
        }
        qinghai.stop();
        List<Stay> provisionally = new ArrayList<>();
        for (Stay stay : second) {
            ObjectNode request = settlementOf(stay);
            JsonNode[] answer = new JsonNode[1];
            // the first look at once (Awaitility's first is after one interval unless told): after the first stay,
            // 630000 has been silent long enough and each stay settles at its first try (10 s of waits before)
            await("settled provisionally once 630000 has been silent for 3 s").atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).until(() -> {
                        answer[0] = zhejiangClerk.call("2304", "630000", request);
                        return "0".equals(answer[0].path("infcode").asText());
                    });
            assertTrue(answer[0].path("warn_msg").asText().contains("has not answered since"), answer[0]::toString);
            provisionally.add(settled(stay, answer[0].path("output")));
        }
        qinghai.start();
        qinghai.awaitHealthy();
        await("run 2 applied or cases").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                .until(() -> provisional(zhejiang, "QUEUED") + provisional(zhejiang, "APPLYING") == 0);
        String cases = zhejiang.must("provisional-list --limit 10000 --state CASE --detail");
        for (int i = 0; i < 20; i++) {
            assertEquals(i < 10, cases.contains(provisionally.get(i).setlId()), i + ": " + cases);
        }
        assertEquals(10, provisional(zhejiang, "CASE"), cases);
        assertTrue(cases.contains("differs from what the hospital was told"), cases);
        // the accumulators follow the rules: three admissions, the fund's part as computed at 630000
        Stay first = provisionally.get(0);
        java.util.regex.Matcher hifp = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(first.setlId())
                + ": .*?\\n  computed at the insured province: .*?hifp_pay=([0-9.]+)", java.util.regex.Pattern.DOTALL)
                .matcher(cases);
        assertTrue(hifp.find(), cases);
        String acc = qinghai.must("person-accumulators " + first.psnNo() + " 2026");
        assertTrue(acc.matches("(?s).*inpatient admissions\\s+\\|\\s+3\\s.*"), acc);
        assertEquals(1, acc.split(first.setlId(), -1).length - 1, acc);
        // the insured agency has the same cases (notices through the hub)
        await("630000 received the 10 cases").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> qinghai.must("provisional-list").contains("10 review case(s) received"));
        // a case is closed by an administrator with what the agencies agreed, audited, and 630000 learns it
        zhejiang.must("provisional-case-close " + first.setlId() + " 差额由两地经办机构核对后在清算中调整");
        assertTrue(zhejiang.must("audit --type PROVISIONAL_CASE_CLOSED").contains(first.setlId()));
        ApplianceInstance.Result twice = zhejiang.console("provisional-case-close " + first.setlId() + " again");
        assertTrue(twice.exit() != 0 && twice.toString().contains("no open review case"), twice::toString);
        await("630000 knows the case closed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> qinghai.must("provisional-list --detail").contains("差额由两地经办机构核对后在清算中调整"));
        assertTrue(qinghai.must("audit --type PROVISIONAL_CASE_CLOSED").contains(first.setlId()));
    }

    @Test
    @Order(18)
    void aPreSettlementTellsTheTreatmentDifferenceUnderTheInsuredProvincesOwnCatalogueFromItsPolicyBundle() {
        ApplianceInstance zhejiang = nodes.get("330000");
        String versions = zhejiang.must("catalogue-versions");
        assertTrue(versions.contains("110000: ") && versions.contains("catalogue/110000.csv (3000 entries)"), versions);
        // a person insured in 110000 in hospital here: 110000's catalogue has none of 330000's codes
        JsonNode seq = sequences.stream().filter(q -> "110000".equals(q.get("insured_admdvs").asText())
                && "330000".equals(q.get("treatment_admdvs").asText())
                && q.get("visits").get(0).get("settle_date").asText().startsWith("2026")).findFirst().orElseThrow();
        String psnNo = psnNoOf.get(seq.get("name").asText());
        String insutype = seq.get("person").get("insutype").asText();
        // a day the filing covers and 110000's policy (effective 2026-01-01) is in force
        String day = seq.get("visits").get(0).get("settle_date").asText();
        // its filing (made by order 1's replay already when the whole class runs: then refused as a duplicate)
        filingClients.get("110000").file(SequenceReplay.filing(seq, psnNo));
        HisClient clerk = hospitals.get("330000").get(2);
        String mdtrtId = stayAt(clerk, "110000", psnNo, insutype, day + " 06:00:00", day + " 06:30:00", day + " 07:00:00");
        ObjectNode pre = JSON.createObjectNode();
        pre.putObject("data").put("psn_no", psnNo).put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo)
                .put("medfee_sumamt", new BigDecimal("9.00")).put("psn_setlway", "01").put("mdtrt_id", mdtrtId)
                .put("insutype", insutype).put("acct_used_flag", "0").put("mid_setl_flag", "0");
        JsonNode answer = clerk.call("2303", "110000", pre);
        assertEquals("0", answer.path("infcode").asText(), answer::toString);
        JsonNode manual = answer.path("output").path("manual_reimbursement");
        assertTrue(manual.path("insuplc_catalogue").asText().contains("catalogue/110000.csv"), answer::toString);
        BigDecimal direct = answer.path("output").path("setlinfo").path("fund_pay_sumamt").decimalValue();
        assertEquals(0, manual.path("fund_pay_sumamt").decimalValue().signum(), answer::toString);
        assertEquals(0, manual.path("fund_pay_diff").decimalValue().add(direct).signum(), answer::toString);
        assertEquals(0, new BigDecimal("9.00").compareTo(manual.path("fulamt_ownpay_amt").decimalValue()), answer::toString);
        if (direct.signum() > 0) {
            assertTrue(answer.path("warn_msg").asText().contains("待遇差"), answer::toString);
        }
    }

    @Test
    @Order(19)
    void aPolicyVersionPublishedAtItsProvincesNodeIsInForceAtEveryNodeWithinAMinuteAndARefusedOneNowhere()
            throws IOException {
        ApplianceInstance qinghai = nodes.get("630000");
        String shipped = shippedPolicyPolledEveryTwoSeconds("630000");
        Path next = WORK.resolve("630000-2027.1.json");
        Files.writeString(next, shipped.replace("\"version\": \"2026.1\"", "\"version\": \"2027.1\"")
                .replace("\"effectiveFrom\": \"2026-01-01\"", "\"effectiveFrom\": \"2027-01-01\"")
                .replace("\"TEMPORARY\": 0.15", "\"TEMPORARY\": 0.10"), StandardCharsets.UTF_8);
        // an auditor may not publish; another province's node may not publish 630000's
        ApplianceInstance.Result refused = qinghai.console("auditor", "policy-publish " + next);
        assertTrue(refused.exit() != 0 && refused.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                refused::toString);
        ApplianceInstance.Result notTheirs = nodes.get("330000").console("policy-publish " + next);
        assertTrue(notTheirs.exit() != 0 && notTheirs.toString().contains("a province publishes its own"),
                notTheirs::toString);
        long start = System.nanoTime();
        String published = qinghai.must("policy-publish " + next);
        assertTrue(published.contains("Published: policy 2027.1 of 630000, effective from 2027-01-01"), published);
        await("2027.1 in force at every node").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.must("policy-list").matches("(?s).*630000\\s+\\|\\s+2027\\.1\\s+\\|[^\\n]*"
                        + "110000 130000 230000 330000 410000 630000.*"));
        System.out.println("[measure] a published policy version in force at all 6 nodes after "
                + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
        String atZhejiang = nodes.get("330000").must("policy-list");
        assertTrue(atZhejiang.matches("(?s).*630000\\s+\\|[^\\n]*2027\\.1\\s+\\|\\s+2027-01-01\\s+\\|\\s+"
                + "medsettle-policy-630000-published-2027\\.1.*"), atZhejiang);
        assertTrue(atZhejiang.matches("(?s).*630000\\s+\\|[^\\n]*2026\\.1\\s+\\|\\s+2026-01-01.*"), atZhejiang);
        assertTrue(hub.must("audit --type POLICY_PUBLISHED").contains("version 2027.1"));

        // not a valid policy: refused at the publishing node, nothing reaches the hub
        Path invalid = WORK.resolve("630000-bad.json");
        Files.writeString(invalid, shipped.replace("\"version\": \"2026.1\"", "\"version\": \"2027.2\"")
                .replace("\"TEMPORARY\": 0.15", "\"TEMPORARY\": 0.35"), StandardCharsets.UTF_8);
        ApplianceInstance.Result bad = qinghai.console("policy-publish " + invalid);
        assertTrue(bad.exit() != 0 && bad.toString().contains("not valid"), bad::toString);
        assertTrue(hub.must("policy-list").contains("1 published version(s)"), hub.must("policy-list"));
        // valid, but the nodes already have a version effective that day from another bundle: refused at every node,
        // the version before stays in force, the hub knows why
        Path twin = WORK.resolve("630000-2026.1b.json");
        Files.writeString(twin, shipped.replace("\"version\": \"2026.1\"", "\"version\": \"2026.1b\""),
                StandardCharsets.UTF_8);
        qinghai.must("policy-publish " + twin);
        await("2026.1b refused at every node").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.must("policy-list").split("refused: 630000 2026.1b at ", -1).length - 1 == 6);
        String national = hub.must("policy-list");
        assertTrue(national.matches("(?s).*630000\\s+\\|\\s+2026\\.1b\\s+\\|[^\\n]*\\|\\s+\\|\\s+"
                + "110000 130000 230000 330000 410000 630000.*"), national);
        assertTrue(national.contains("refused: 630000 2026.1b at 330000: REFUSED: ") && national.contains("is already provided by medsettle-policy-630000/"),
                national);
        assertTrue(nodes.get("330000").must("policy-list").matches("(?s).*630000\\s+\\|[^\\n]*2026\\.1\\s+\\|"
                + "\\s+2026-01-01\\s+\\|\\s+medsettle-policy-630000/.*"));
    }

    @Test
    @Order(20)
    void aTopUpInTheInsuredProvincesPublishedPolicyIsToldAtDischargeAndOwedAtHomeUntilItsSettlementIsUndone()
            throws IOException {
        ApplianceInstance beijing = nodes.get("110000");
        ApplianceInstance zhejiang = nodes.get("330000");
        // a person insured in 110000 with a filing for 330000 (order 18's), a stay the day after its sequence's last
        // (the filing covers six months from the first admission at least; no stay of the sequence overlaps it)
        JsonNode seq = sequences.stream().filter(q -> "110000".equals(q.get("insured_admdvs").asText())
                && "330000".equals(q.get("treatment_admdvs").asText())
                && q.get("visits").get(0).get("settle_date").asText().startsWith("2026")).findFirst().orElseThrow();
        String psnNo = psnNoOf.get(seq.get("name").asText());
        String insutype = seq.get("person").get("insutype").asText();
        JsonNode visits = seq.get("visits");
        java.time.LocalDate lastDay = java.time.LocalDate.parse(visits.get(visits.size() - 1).get("settle_date").asText());
        assertTrue(lastDay.isBefore(java.time.LocalDate.parse(visits.get(0).get("admission_date").asText()).plusMonths(6)));
        String day = lastDay.plusDays(1).toString();
        filingClients.get("110000").file(SequenceReplay.filing(seq, psnNo));
        // 110000 publishes a version that pays the top-up (待遇补差), in force from that day
        String shipped = shippedPolicyPolledEveryTwoSeconds("110000");
        Path topUp = WORK.resolve("110000-2026.9.json");
        Files.writeString(topUp, shipped.replace("\"version\": \"2026.1\"", "\"version\": \"2026.9\"")
                .replace("\"effectiveFrom\": \"2026-01-01\"", "\"effectiveFrom\": \"" + day + "\"")
                .replaceFirst("\\{", "{\"treatmentDifferenceTopUp\": {\"ratio\": 1, \"maxPerSettlement\": 3000},"),
                StandardCharsets.UTF_8);
        beijing.must("policy-publish " + topUp);
        await("2026.9 in force at every node").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.must("policy-list").matches("(?s).*110000\\s+\\|\\s+2026\\.9\\s+\\|[^\\n]*"
                        + "110000 130000 230000 330000 410000 630000.*"));

        // a bill of one line that 110000's catalogue (shipped with its policy bundle) covers and 330000's does not:
        // nothing from the funds here, more at home
        HisClient clerk = hospitals.get("330000").get(2);
        String mdtrtId = stayAt(clerk, "110000", psnNo, insutype, day + " 08:00:00", day + " 08:30:00", day + " 09:00:00",
                "004070173615576", new BigDecimal("5000.00"));
        ObjectNode setl = JSON.createObjectNode();
        setl.putObject("data").put("psn_no", psnNo).put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo)
                .put("medfee_sumamt", new BigDecimal("5000.00")).put("psn_setlway", "01").put("mdtrt_id", mdtrtId)
                .put("insutype", insutype).put("acct_used_flag", "0").put("mid_setl_flag", "0");
        JsonNode answer = clerk.call("2304", "110000", setl);
        assertEquals("0", answer.path("infcode").asText(), answer::toString);
        JsonNode manual = answer.path("output").path("manual_reimbursement");
        BigDecimal direct = answer.path("output").path("setlinfo").path("fund_pay_sumamt").decimalValue();
        BigDecimal home = manual.path("fund_pay_sumamt").decimalValue();
        BigDecimal expected = home.subtract(direct).min(new BigDecimal("3000")).setScale(2);
        assertEquals(0, direct.signum(), answer::toString);
        assertTrue(expected.signum() > 0, answer::toString);
        assertEquals(expected, manual.path("top_up_amt").decimalValue().setScale(2), answer::toString);
        assertTrue(answer.path("warn_msg").asText().contains("待遇补差 (treatment-difference top-up): 110000 pays the "
                + "patient " + expected + " after the month's clearing"), answer::toString);
        String setlId = answer.path("output").path("setlinfo").path("setl_id").asText();

        // at home, through the outbox and the hub: owed, waiting for the month's clearing; read by anyone, paid by
        // an administrator only (nothing is payable before the clearing)
        await("the top-up recorded at 110000").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> beijing.must("topup-list").contains(setlId));
        String listed = beijing.console("auditor", "topup-list --state WAITING --detail").out();
        assertTrue(listed.matches("(?s).*" + setlId + "\\s+\\|\\s+330000\\s+\\|\\s+" + psnNo + "[^\\n]*\\|\\s+"
                + expected.toPlainString().replace(".", "\\.") + "\\s+\\|\\s+WAITING\\s+\\|\\s+the clearing.*"), listed);
        assertTrue(listed.contains("policy 2026.9"), listed);
        ApplianceInstance.Result notAllowed = beijing.console("auditor", "topup-pay --reference B1");
        assertTrue(notAllowed.exit() != 0 && notAllowed.toString().matches("(?s).*(Insufficient credentials|Command not found).*"),
                notAllowed::toString);
        assertTrue(beijing.must("topup-pay --reference B1").contains("No top-up is payable"));
        assertTrue(beijing.must("ledger-balances fund:topup").contains("fund:topup"));
        String check = beijing.must("ledger-check");
        assertTrue(check.contains("top-ups of the treatment difference have exactly their entries")
                && check.contains("sum 0 fen") && !check.contains("PROBLEM"), check);

        // reversed at the hospital: not owed any more, the fund line taken back
        ObjectNode rev = JSON.createObjectNode();
        rev.putObject("data").put("setl_id", setlId).put("mdtrt_id", mdtrtId).put("psn_no", psnNo);
        HisClient.ok(clerk.call("2305", "110000", rev));
        String after = beijing.must("topup-list --state CANCELLED");
        assertTrue(after.contains(setlId) && after.contains("its settlement was undone"), after);
        String checkAfter = beijing.must("ledger-check");
        assertTrue(checkAfter.contains("sum 0 fen") && !checkAfter.contains("PROBLEM"), checkAfter);
        assertTrue(beijing.must("audit --type TOP_UP_CANCELLED").contains(setlId));
    }

    @Test
    @Order(21)
    void underLoadAKillOfTheTreatmentNodeTheInsuredNodeAndTheHubLosesOrDoublesNoAcknowledgedSettlement()
            throws Exception {
        ApplianceInstance zhejiang = nodes.get("330000");
        ApplianceInstance qinghai = nodes.get("630000");
        // 630000 out of provisional settlement again (order 17 opted it in): a settlement while it is down is then
        // answered -1 and repeated, not queued
        zhejiang.removeSetting("org.medsettle.transactions.cfg", "provisional.limit.630000");
        await("630000 no longer settled provisionally at 330000").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> !zhejiang.must("provisional-list").contains("Risk limit for 630000"));
        // 200 persons: order 6's 20 and 180 new (the first 20 have reached their year's fund caps in orders 6 to 8)
        Path persons = WORK.resolve("load-persons-200.csv");
        org.medsettle.tools.LoadDriver.main(new String[] {"persons", "200", persons.toString()});
        qinghai.must("person-import " + persons);
        String treatmentBefore = zhejiang.must("ledger-balances");
        String insuredBefore = qinghai.must("ledger-balances");
        List<org.medsettle.tools.LoadDriver.Event> kills = new ArrayList<>();
        int second = 3;
        for (ApplianceInstance victim : List.of(zhejiang, qinghai, hub)) {
            kills.add(new org.medsettle.tools.LoadDriver.Event(second, "kill -9 of " + victim.home().getFileName(), () -> {
                victim.kill();
                victim.start();
                victim.awaitHealthy();
                return victim.home().getFileName() + " killed and started again";
            }));
            second += 17;
        }
        // four clerks drive whole stays of the 200 until 10 s after the last kill (at most 120 s), each repeating what
        // got no answer or a -1 with the same msgid for up to 120 s (a HIS does so)
        org.medsettle.tools.LoadDriver.Result result = org.medsettle.tools.LoadDriver.run(
                new org.medsettle.tools.LoadDriver.Config(new ArrayList<>(hospitals.get("330000").values()), "630000",
                        filingClients.get("630000"), org.medsettle.tools.LoadDriver.items(
                                zhejiang.home().resolve("samples/catalogue-330000.csv")),
                        200, new int[] {4}, 120, -1, 0, kills, org.medsettle.tools.LoadDriver.Flow.STAYS, Map.of(), 0,
                        LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1), 0, 120, 10));
        org.medsettle.tools.LoadDriver.Step step = result.steps().get(0);
        System.out.println("[measure] kill -9 under load: " + step.settlements() + " settlements in "
                + Math.round(step.seconds()) + " s, " + step.refusedAttempts() + " attempts repeated, errors "
                + step.errors());
        for (org.medsettle.tools.LoadDriver.EventOutcome kill : step.events()) {
            assertTrue(kill.ok(), kill.label() + ": " + kill.answer());
        }
        assertEquals(3, step.events().size(), result.json().toString());
        // every acknowledged settlement found at the node (5203), every balance at the insured node exact (1101)
        assertTrue(result.problems().isEmpty(), result.problems().toString());
        // no stay failed: every request got its answer in the end (only repeats are counted)
        assertTrue(step.errors().keySet().stream().allMatch(k -> k.contains("refused attempt, repeated")),
                step.errors().toString());
        assertTrue(step.refusedAttempts() > 0, "the kills were met: " + step.errors());
        assertTrue(step.settlements() > 0, result.json().toString());
        for (ApplianceInstance node : List.of(zhejiang, qinghai)) {
            String check = node.must("ledger-check");
            assertTrue(check.contains("sum 0 fen") && !check.contains("PROBLEM"), check);
        }
        // both ledgers moved by exactly the acknowledged settlements' fund payments: none lost, none doubled, none
        // applied at the insured node without being committed at the treatment node or the reverse
        List<String> lines = new ArrayList<>();
        List<String> differences = org.medsettle.tools.LedgerDelta.check(result.json().path("acknowledged_fund_pay"),
                "330000", "630000", org.medsettle.tools.LedgerDelta.balances(treatmentBefore),
                org.medsettle.tools.LedgerDelta.balances(zhejiang.must("ledger-balances")),
                org.medsettle.tools.LedgerDelta.balances(insuredBefore),
                org.medsettle.tools.LedgerDelta.balances(qinghai.must("ledger-balances")), lines::add);
        assertTrue(differences.isEmpty(), differences + "\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("hifp\\s+[1-9][0-9.]*\\s+.*")), String.join("\n", lines));
    }

    /** The test adapter's classes and a manifest naming its folder and hospital, as a bundle. */
    private static void adapterBundle(Path jar, Path folder, String hospital) throws IOException {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test-drop-folder-adapter");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", org.medsettle.assembly.adapter.DropFolderAdapter.class.getName());
        main.putValue("Import-Package", "org.apache.camel;version=\"[3.22,4)\",org.apache.camel.builder;version=\"[3.22,4)\","
                + "org.apache.camel.core.osgi;version=\"[3.22,4)\",org.apache.camel.model;version=\"[3.22,4)\","
                + "org.medsettle.api.his;version=\"[1.1,2)\",org.osgi.framework");
        main.putValue("Adapter-Directory", folder.toString());
        main.putValue("Adapter-Hospital", hospital);
        Path classes = Path.of("target/test-classes/org/medsettle/assembly/adapter");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.list(classes)) {
            for (Path c : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry("org/medsettle/assembly/adapter/" + c.getFileName()));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        }
    }

    private SequenceReplay.Result[] replayAll(List<JsonNode> seqs, Map<String, String> psnNos,
                                              Map<Integer, ? extends org.medsettle.tools.His> his) {
        List<SequenceReplay.Result> results = new ArrayList<>();
        for (JsonNode seq : seqs) {
            results.add(SequenceReplay.replay(seq, psnNos.get(seq.get("name").asText()), his, true));
        }
        return results.toArray(new SequenceReplay.Result[0]);
    }
}
