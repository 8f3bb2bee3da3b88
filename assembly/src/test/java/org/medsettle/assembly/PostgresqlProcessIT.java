package org.medsettle.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Nodes on PostgreSQL, from the tarball (issue 13): a hub on embedded Derby and three province nodes, each on its
 * own database of one real PostgreSQL server ({@code MEDSETTLE_DB_URL}, {@code MEDSETTLE_DB_USER}). 330000 treats
 * the people of 630000 and 130000: every reference sequence of those pairs settles through HIS over HTTP to the fen,
 * the newest settlement of every third is reversed; health and status name PostgreSQL, the node refuses to back it
 * up and names pg_dump; 330000 is killed (kill -9) and started again: every acknowledged settlement is there (5203)
 * and both ledgers check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresqlProcessIT {

    private static final Path WORK = Path.of("target/it-postgresql").toAbsolutePath();
    private static final List<String> INSURED = List.of("630000", "130000");

    private ApplianceInstance hub;
    private final Map<String, ApplianceInstance> nodes = new LinkedHashMap<>();

    @AfterAll
    void stop() {
        nodes.values().forEach(ApplianceInstance::close);
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void nodesOnPostgresqlSettleEveryReferenceSequenceToTheFenAndLoseNothingOnKill9() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        hub = ApplianceInstance.hub(WORK);
        for (String p : List.of("330000", "630000", "130000")) {
            String database = postgres.newDatabase().getDatabaseName();
            ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-" + p, p);
            node.linkedTo(hub);
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
            e.getValue().registerAt(hub, e.getKey());
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
                + " sequences on PostgreSQL, all there after kill -9");
    }
}
