package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medsettle.store.testing.PostgresServer;
import org.medsettle.tools.FilingClient;
import org.medsettle.tools.HisClient;
import org.medsettle.tools.SequenceReplay;
import org.medsettle.tools.Signed;

/**
 * Two instances of one province behind a real load balancer (issue 13): 330000 runs as instances {@code a} and
 * {@code b} on one PostgreSQL database, behind HAProxy (round robin, health-checked on {@code GET /medsettle/health};
 * the national link passed through in TCP mode, both instances holding the province's link certificate); the hub
 * knows 330000 at the balancer's link address. 630000 and 130000 are insured nodes of their own. Every reference
 * sequence of 330000 for those two settles through the balancer to the fen — the requests of one stay spread over
 * both instances —, instance {@code a} is killed (kill -9) halfway and started again later: the balancer takes it
 * out and back, no sequence differs, both ledgers check, every settlement notice leaves the outbox once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LoadBalancedProcessIT {

    private static final Path WORK = Path.of("target/it-load-balanced").toAbsolutePath();
    private static final List<String> INSURED = List.of("630000", "130000");

    private ApplianceInstance hub;
    /** The insured nodes. */
    private final Map<String, ApplianceInstance> nodes = new java.util.LinkedHashMap<>();
    /** The instances of 330000. */
    private final List<ApplianceInstance> instances = new ArrayList<>();
    private Haproxy balancer;
    private ApplianceInstance a;
    private ApplianceInstance b;
    private final Map<Integer, HisClient> hospitals = new HashMap<>();
    private final Map<String, FilingClient> filingClients = new HashMap<>();

    @AfterAll
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        instances.forEach(ApplianceInstance::close);
        nodes.values().forEach(ApplianceInstance::close);
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void twoInstancesOfOneProvinceBehindABalancerSettleEverySequenceToTheFenAcrossAKill9() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String database = postgres.newDatabase().getDatabaseName();
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        hub = ApplianceInstance.hub(WORK);
        a = instance("a", postgres, database);
        a.start();
        a.awaitHealthy();
        // the second instance holds the province's link identity too: the hub pins one certificate per province
        b = instance("b", postgres, database);
        Path keys = b.home().resolve("etc/keys");
        Files.createDirectories(keys);
        for (String f : List.of("link.p12", "link.password")) {
            Files.copy(a.home().resolve("etc/keys").resolve(f), keys.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        b.start();
        for (String p : INSURED) {
            ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-" + p, p);
            node.linkedTo(hub);
            node.env().put("MEDSETTLE_HEAP", "320M");
            node.start();
            nodes.put(p, node);
        }
        b.awaitHealthy();
        assertEquals(a.linkCertificate(), b.linkCertificate(), "one link identity for the province");
        balancer = Haproxy.start(WORK, List.of(
                new Haproxy.Backend("a", a.port("MEDSETTLE_HTTP_PORT"), a.port("MEDSETTLE_LINK_PORT")),
                new Haproxy.Backend("b", b.port("MEDSETTLE_HTTP_PORT"), b.port("MEDSETTLE_LINK_PORT"))));
        await("both instances UP at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> "UP".equals(balancer.status("instances", "a")) && "UP".equals(balancer.status("instances", "b")));
        hub.must("hub-node-add 330000 " + balancer.linkUrl() + " " + a.linkCertificate());
        for (Map.Entry<String, ApplianceInstance> e : nodes.entrySet()) {
            e.getValue().awaitHealthy();
            e.getValue().registerAt(hub, e.getKey());
            filingClients.put(e.getKey(), new FilingClient(e.getValue().httpUrl(), "it", e.getValue().filingClient("it")));
        }

        // the catalogue and the hospitals imported at a; b takes the catalogue version from the database
        hospitals.putAll(ReferenceSetup.catalogueAndHospitals(a, "330000", balancer.httpUrl()));
        await("b follows the catalogue a imported").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> b.console("health").out().matches("(?s).*catalogue\\s+\\|\\s+OK[^\\n]*v1 .*"));
        List<JsonNode> sequences = ReferenceSetup.sequences("330000", INSURED);
        Map<String, String> psnNoOf = ReferenceSetup.importPersons(sequences, '6', WORK, nodes);

        // every sequence through the balancer; a killed a third of the way, started again at two thirds
        int settled = 0;
        for (int i = 0; i < sequences.size(); i++) {
            if (i == sequences.size() / 3) {
                a.kill();
                await("a DOWN at the balancer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> balancer.status("instances", "a").startsWith("DOWN"));
            }
            if (i == 2 * sequences.size() / 3) {
                a.start();
                a.awaitHealthy();
                await("a UP again at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "UP".equals(balancer.status("instances", "a")));
            }
            JsonNode seq = sequences.get(i);
            String name = seq.get("name").asText();
            String insured = seq.get("insured_admdvs").asText();
            Signed.Answer filed = filingClients.get(insured).file(SequenceReplay.filing(seq, psnNoOf.get(name)));
            assertEquals(201, filed.status(), name + ": filing " + filed.body());
            SequenceReplay.Result result = SequenceReplay.replay(seq, psnNoOf.get(name), hospitals, true);
            if (!result.differences().isEmpty()) {
                fail(String.join("\n", result.differences()));
            }
            settled += result.settled().size();
        }

        // both instances served, every notice left once, the ledgers check at both instances and the insured nodes
        for (String server : List.of("a", "b")) {
            assertTrue(balancer.sessions("instances", server) > 0, server + " served requests:\n" + balancer.stats());
        }
        await("the outbox empty").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> b.must("link-status").matches("(?s).*outbox waiting\\s+\\|\\s+0\\b.*"));
        assertTrue(a.must("ledger-check").contains("OK"));
        assertTrue(b.must("ledger-check").contains("OK"));
        for (String insured : INSURED) {
            assertTrue(nodes.get(insured).must("ledger-check").contains("OK"), insured);
        }
        String leases = b.must("leases");
        assertTrue(leases.contains("link-outbox"), leases);
        assertEquals(holderOf(leases), holderOf(a.must("leases")), "one holder, seen alike from both instances");
        System.out.println("[measure] " + settled + " settlements of " + sequences.size()
                + " sequences through HAProxy over two instances on one PostgreSQL, one killed and restarted");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aRollingUpgradeUnderLoadLosesNoStay() throws Exception {
        Path persons = WORK.resolve("load-persons.csv");
        org.medsettle.tools.LoadDriver.main(new String[] {"persons", "30", persons.toString()});
        nodes.get("630000").must("person-import " + persons);
        List<org.medsettle.tools.LoadDriver.Event> events = List.of(new org.medsettle.tools.LoadDriver.Event(3,
                "rolling upgrade", () -> {
                    upgrade(a, "a");
                    upgrade(b, "b");
                    return "a, then b: stopped, upgraded, started";
                }));
        org.medsettle.tools.LoadDriver.Result result = org.medsettle.tools.LoadDriver.run(
                new org.medsettle.tools.LoadDriver.Config(new ArrayList<>(hospitals.values()), "630000",
                        filingClients.get("630000"), org.medsettle.tools.LoadDriver.items(
                                a.home().resolve("samples/catalogue-330000.csv")),
                        // at most 210 s: the upgrade of both takes 125-150 s on the CI machine; the step ends 20 s
                        // after it, each upgraded instance having settled under load (its metrics are read by the
                        // next test)
                        30, new int[] {4}, 210, -1, 0, events, org.medsettle.tools.LoadDriver.Flow.STAYS, Map.of(), 0,
                        java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1), 10, 0, 20));
        org.medsettle.tools.LoadDriver.Step step = result.steps().get(0);
        assertTrue(result.problems().isEmpty(), "every acknowledged settlement kept, balances exact: " + result.problems());
        assertEquals(1, step.events().size(), result.json().toString());
        org.medsettle.tools.LoadDriver.EventOutcome upgrade = step.events().get(0);
        assertTrue(upgrade.ok(), upgrade.answer());
        // no stay failed at all: an instance stopping answers 503 to what it will not take (the balancer sends it to
        // the other) and finishes what it began; a stay the clerk had to send again would count here
        assertEquals(0, upgrade.failedStays(), "no stay failed during the upgrade, none lost: " + result.json());
        System.out.println("[measure] failed stays during the rolling upgrade: " + upgrade.failedStays()
                + ", errors " + step.errors());
        assertTrue(step.settlements() > 0, result.json().toString());
        System.out.println("[measure] rolling upgrade of two instances under load: " + step.settlements()
                + " settlements in " + step.seconds() + " s, the upgrade " + (upgrade.endMillis() - upgrade.startMillis())
                + " ms, " + upgrade.refusedAttempts() + " attempts refused and repeated, no stay failed");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void eachInstanceAndTheBalancerShowTheirMetricsToPrometheus() throws Exception {
        for (ApplianceInstance instance : List.of(a, b)) {
            java.net.http.HttpResponse<String> r = ApplianceInstance.get(instance.httpUrl() + "/medsettle/metrics");
            assertEquals(200, r.statusCode(), r::body);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = r.body();
            for (String series : List.of("medsettle_his_requests_total{infcode=\"0\",infno=\"2304\",insured=\"630000\","
                            + "province=\"330000\",role=\"node\"}", "medsettle_his_request_seconds_bucket{infno=\"2304\"",
                    "medsettle_link_outbox_messages{", "medsettle_link_outbox_oldest_age_seconds{",
                    "medsettle_link_exchanges_total{counterpart=\"630000\",outcome=\"ok\"",
                    "medsettle_db_connections_in_use{", "medsettle_db_connection_wait_seconds_bucket{",
                    "jvm_memory_used_bytes{", "process_cpu_usage{")) {
                assertTrue(text.contains(series), series + " in\n" + text.lines().filter(l -> l.startsWith("medsettle"))
                        .limit(60).toList());
            }
        }
        String hubView = ApplianceInstance.get(hub.httpUrl() + "/medsettle/metrics").body();
        assertTrue(hubView.contains("medsettle_hub_forwarded_total{outcome=\"ok\",province=\"100000\",role=\"hub\","
                + "to=\"630000\""), hubView.lines().filter(l -> l.startsWith("medsettle_hub")).limit(20).toList().toString());
        java.net.http.HttpResponse<String> balancerView = ApplianceInstance.get(balancer.metricsUrl());
        assertEquals(200, balancerView.statusCode());
        assertTrue(balancerView.body().contains("haproxy_server_status{proxy=\"instances\",server=\"a\""),
                balancerView.body().lines().filter(l -> l.contains("server_status")).toList().toString());
        // every series the dashboard in the repository draws is one an instance or the balancer serves
        String dashboard = Files.readString(Path.of("../docs/grafana/medsettle-province.json"));
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b((?:medsettle|jvm|process|haproxy)_[a-z_]+)\\{")
                .matcher(dashboard);
        String served = ApplianceInstance.get(a.httpUrl() + "/medsettle/metrics").body() + balancerView.body();
        java.util.Set<String> missing = new java.util.TreeSet<>();
        int drawn = 0;
        while (names.find()) {
            drawn++;
            if (!served.contains("\n" + names.group(1) + "{")) {
                missing.add(names.group(1));
            }
        }
        assertTrue(drawn >= 15, "the dashboard's queries: " + drawn);
        assertTrue(missing.isEmpty(), "the dashboard draws series nobody serves: " + missing);
        // an address not allowed gets 403: b allows only another machine for a moment (etc, no restart)
        b.setting("org.medsettle.metrics.cfg", "allowFrom", "10.9.8.7");
        await("b refuses this machine").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> ApplianceInstance.get(b.httpUrl() + "/medsettle/metrics").statusCode() == 403);
        b.setting("org.medsettle.metrics.cfg", "allowFrom", "127.0.0.0/8, ::1");
        await("b serves this machine again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> ApplianceInstance.get(b.httpUrl() + "/medsettle/metrics").statusCode() == 200);
    }

    /** One instance stopped (its requests go to the other), its code replaced by the tarball's, started again. */
    private void upgrade(ApplianceInstance instance, String server) {
        instance.stop();
        await(server + " DOWN at the balancer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> balancer.status("instances", server).startsWith("DOWN"));
        instance.upgradeInPlace();
        instance.start();
        instance.awaitHealthy();
        await(server + " UP at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "UP".equals(balancer.status("instances", server)));
    }

    private ApplianceInstance instance(String name, PostgresServer postgres, String database) {
        ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-330000-" + name, "330000");
        node.linkedTo(hub);
        node.env().put("MEDSETTLE_HEAP", "384M");
        node.env().put("MEDSETTLE_DB_URL", postgres.url(database));
        node.env().put("MEDSETTLE_DB_USER", PostgresServer.USER);
        node.setting("org.medsettle.transactions.cfg", "admissionMaxAgeDays", "3650");
        instances.add(node);
        return node;
    }

    /** The holder column of the {@code link-outbox} line of {@code medsettle:leases}. */
    private static String holderOf(String leases) {
        return leases.lines().filter(l -> l.startsWith("link-outbox")).map(l -> l.split("\\|")[1]
                .replace("(this one)", "").strip()).findFirst().orElse("none");
    }
}
