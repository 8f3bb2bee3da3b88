package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medsettle.store.testing.PostgresServer;
import org.medsettle.tools.FilingClient;
import org.medsettle.tools.HisClient;
import org.medsettle.tools.SequenceReplay;
import org.medsettle.tools.Signed;

/**
 * Nodes and the hub on PostgreSQL, from the tarball (issue 13): three province nodes, each on its own database of one
 * real PostgreSQL server ({@code MEDSETTLE_DB_URL}, {@code MEDSETTLE_DB_USER}), and the hub as two instances on one
 * database of its own behind HAProxy (the link in TCP mode, both hub instances holding the hub's certificate; the
 * nodes know the hub at the balancer's address). The nodes are registered at hub instance {@code a} only. 330000
 * treats the people of 630000 and 130000: every reference sequence of those pairs settles through HIS over HTTP to
 * the fen, the newest settlement of every third is reversed; hub instance {@code a} is killed (kill -9) halfway and
 * started again at three quarters: the balancer takes it out and back, nothing differs. A node taken out of the
 * directory at one hub instance is refused at the other within seconds, and let in again when registered again.
 * Health and status name PostgreSQL, the node refuses to back it up and names pg_dump; 330000 is killed (kill -9) and
 * started again: every acknowledged settlement is there and both ledgers check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresqlProcessIT {

    private static final Path WORK = Path.of("target/it-postgresql").toAbsolutePath();
    private static final List<String> INSURED = List.of("630000", "130000");

    /** The hub's two instances, and the balancer in front of them. */
    private ApplianceInstance hubA;
    private ApplianceInstance hubB;
    private Haproxy hubBalancer;
    private final Map<String, ApplianceInstance> nodes = new LinkedHashMap<>();

    @AfterAll
    void stop() {
        if (hubBalancer != null) {
            hubBalancer.close();
        }
        nodes.values().forEach(ApplianceInstance::close);
        for (ApplianceInstance hub : java.util.Arrays.asList(hubA, hubB)) {
            if (hub != null) {
                hub.close();
            }
        }
    }

    @Test
    void nodesOnPostgresqlSettleEveryReferenceSequenceToTheFenAndLoseNothingOnKill9() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        // the hub: two instances on one database, the second holding the first's link identity (the nodes pin one
        // hub certificate), behind the balancer
        String hubDatabase = postgres.newDatabase().getDatabaseName();
        hubA = hubInstance("a", postgres, hubDatabase);
        hubA.start();
        hubA.awaitHealthy();
        hubB = hubInstance("b", postgres, hubDatabase);
        Path keys = hubB.home().resolve("etc/keys");
        Files.createDirectories(keys);
        for (String f : List.of("link.p12", "link.password")) {
            Files.copy(hubA.home().resolve("etc/keys").resolve(f), keys.resolve(f),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        hubB.start();
        hubB.awaitHealthy();
        String hubCertificate = hubA.linkCertificate();
        assertEquals(hubCertificate, hubB.linkCertificate(), "one link identity for the hub");
        hubBalancer = Haproxy.start(WORK, List.of(
                new Haproxy.Backend("a", hubA.port("MEDSETTLE_HTTP_PORT"), hubA.port("MEDSETTLE_LINK_PORT")),
                new Haproxy.Backend("b", hubB.port("MEDSETTLE_HTTP_PORT"), hubB.port("MEDSETTLE_LINK_PORT"))));
        await("both hub instances UP at the balancer").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "UP".equals(hubBalancer.status("links", "a")) && "UP".equals(hubBalancer.status("links", "b")));
        for (String p : List.of("330000", "630000", "130000")) {
            String database = postgres.newDatabase().getDatabaseName();
            ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-" + p, p);
            node.env().put("MEDSETTLE_HUB_URL", hubBalancer.linkUrl());
            node.env().put("MEDSETTLE_HUB_CERT", hubCertificate);
            node.env().put("MEDSETTLE_HEAP", "384M");
            node.env().put("MEDSETTLE_DB_URL", postgres.url(database));
            node.env().put("MEDSETTLE_DB_USER", PostgresServer.USER);
            node.setting("org.medsettle.transactions.cfg", "admissionMaxAgeDays", "3650");
            node.start();
            nodes.put(p, node);
        }
        Map<String, FilingClient> filingClients = new HashMap<>();
        for (Map.Entry<String, ApplianceInstance> e : nodes.entrySet()) {
            e.getValue().awaitHealthy();
            // registered at one hub instance: the other reads it from the database
            e.getValue().registerAt(hubA, e.getKey());
            filingClients.put(e.getKey(), new FilingClient(e.getValue().httpUrl(), "it", e.getValue().filingClient("it")));
        }
        ApplianceInstance zhejiang = nodes.get("330000");

        // the node names its database, without credentials, and says who backs it up
        String health = zhejiang.must("health");
        assertTrue(health.matches("(?s).*store\\s+\\|\\s+OK.*PostgreSQL.*" + java.util.regex.Pattern.quote(
                zhejiang.env().get("MEDSETTLE_DB_URL")) + ".*"), health);
        String status = zhejiang.must("status");
        assertTrue(status.matches("(?s).*Database\\s+\\|\\s+PostgreSQL.*"), status);
        ApplianceInstance.Result backup = zhejiang.console("backup");
        assertTrue(backup.exit() != 0 && backup.out().contains("pg_dump"), backup.toString());

        Map<Integer, HisClient> hospitals = ReferenceSetup.catalogueAndHospitals(zhejiang, "330000", zhejiang.httpUrl());
        List<JsonNode> sequences = ReferenceSetup.sequences("330000", INSURED);
        assertTrue(sequences.size() >= 10, "reference sequences of 330000 for 630000 and 130000: " + sequences.size());
        Map<String, String> psnNoOf = ReferenceSetup.importPersons(sequences, '7', WORK, nodes);

        // every sequence to the fen; the newest settlement of every third reversed
        List<SequenceReplay.Settled> acknowledged = new ArrayList<>();
        Map<String, String> psnOfSetlId = new HashMap<>();
        Map<String, String> insuredOfSetlId = new HashMap<>();
        int index = 0;
        for (JsonNode seq : sequences) {
            if (index == sequences.size() / 2) {
                hubA.kill();
                await("hub a DOWN at the balancer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> hubBalancer.status("links", "a").startsWith("DOWN"));
            }
            if (index == 3 * sequences.size() / 4) {
                hubA.start();
                hubA.awaitHealthy();
                await("hub a UP again at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "UP".equals(hubBalancer.status("links", "a")));
            }
            String name = seq.get("name").asText();
            String insured = seq.get("insured_admdvs").asText();
            String psnNo = psnNoOf.get(name);
            Signed.Answer filed = filingClients.get(insured).file(SequenceReplay.filing(seq, psnNo));
            assertEquals(201, filed.status(), name + ": filing " + filed.body());
            SequenceReplay.Result result = SequenceReplay.replay(seq, psnNo, hospitals, true);
            if (!result.differences().isEmpty()) {
                fail(String.join("\n", result.differences()));
            }
            List<SequenceReplay.Settled> settled = new ArrayList<>(result.settled());
            if (index++ % 3 == 0 && !settled.isEmpty()) {
                // reverse() fails unless the node answers infcode 0
                SequenceReplay.reverse(settled.remove(settled.size() - 1), psnNo, insured);
            }
            acknowledged.addAll(settled);
            settled.forEach(s -> {
                psnOfSetlId.put(s.setlId(), psnNo);
                insuredOfSetlId.put(s.setlId(), insured);
            });
        }
        assertTrue(zhejiang.must("ledger-check").contains("OK"));
        for (String server : List.of("a", "b")) {
            assertTrue(hubBalancer.sessions("links", server) > 0, "hub " + server + " took connections:\n" + hubBalancer.stats());
        }
        aNodeTakenOutAtOneHubInstanceIsRefusedAtTheOther(sequences, psnNoOf);
        // on PostgreSQL the instance takes the leases of the work one instance does for all (README "medsettle:leases")
        String leases = zhejiang.must("leases");
        assertTrue(leases.matches("(?s).*link-outbox\\s+\\|[^\\n]*\\(this one\\).*"), leases);

        // kill -9 of the treatment node: every acknowledged settlement is there after the restart
        zhejiang.kill();
        zhejiang.start();
        zhejiang.awaitHealthy();
        // the killed instance's leases expire (15 s); the new one takes them over
        org.awaitility.Awaitility.await("the outbox lease taken over").atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> zhejiang.must("leases").matches("(?s).*link-outbox\\s+\\|[^\\n]*\\(this one\\)\\s+\\|[^\\n]*held.*"));
        for (SequenceReplay.Settled s : acknowledged) {
            ObjectNode q = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            q.putObject("data").put("psn_no", psnOfSetlId.get(s.setlId())).put("setl_id", s.setlId())
                    .put("mdtrt_id", s.mdtrtId());
            JsonNode a = s.his().call("5203", insuredOfSetlId.get(s.setlId()), q);
            assertEquals("0", a.path("infcode").asText(), s.setlId() + " after kill -9: " + a);
        }
        assertTrue(zhejiang.must("ledger-check").contains("OK"));
        for (String insured : INSURED) {
            assertTrue(nodes.get(insured).must("ledger-check").contains("OK"), insured);
        }
        System.out.println("[measure] " + acknowledged.size() + " settlements of " + sequences.size()
                + " sequences on PostgreSQL through two hub instances (one killed and started again), all there after "
                + "kill -9 of the treatment node");
    }

    /**
     * 130000 taken out of the directory at hub instance a: instance b, which read the directory before, refuses its
     * certificate within its {@code directoryRefreshSeconds} (5 s); registered again at a, b lets it in again.
     */
    private void aNodeTakenOutAtOneHubInstanceIsRefusedAtTheOther(List<JsonNode> sequences, Map<String, String> psnNoOf)
            throws Exception {
        ApplianceInstance hebei = nodes.get("130000");
        LinkTestClient asHebei = LinkTestClient.as(hebei);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<Integer> lookUp = () -> {
            try {
                return asHebei.post(hubB.linkUrl(), "130000", LinkTestClient.message("130000-it-" + n.incrementAndGet(),
                        "PERSON_LOOKUP", "130000", "100000", "nonce-of-the-directory-test-" + n.get(),
                        "{\"psn_no\":\"nobody-" + n.get() + "\"}")).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertEquals(200, lookUp.get(), "hub b knows 130000 (registered at a)");
        hubA.must("hub-node-remove 130000");
        await("hub b refuses 130000, taken out at hub a").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).until(() -> lookUp.get() == 401);
        await("hub b logs what changed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(hubB.home().resolve("data/log/karaf.log")).contains("130000 taken out"));
        hebei.registerAt(hubA, "130000");
        await("hub b lets 130000 in again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> lookUp.get() == 200);
    }

    private ApplianceInstance hubInstance(String name, PostgresServer postgres, String database) {
        ApplianceInstance hub = ApplianceInstance.unpack(WORK, "hub-" + name, "100000");
        hub.env().put("MEDSETTLE_ROLE", "hub");
        hub.env().put("MEDSETTLE_HEAP", "320M");
        hub.env().put("MEDSETTLE_DB_URL", postgres.url(database));
        hub.env().put("MEDSETTLE_DB_USER", PostgresServer.USER);
        return hub;
    }
}
