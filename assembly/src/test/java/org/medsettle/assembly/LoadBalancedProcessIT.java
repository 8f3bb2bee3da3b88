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
 * Scaled out on PostgreSQL, from the tarball (issue 13): every instance behind a real load balancer and on one real
 * PostgreSQL server ({@code MEDSETTLE_DB_URL}, {@code MEDSETTLE_DB_USER}).
 * <ul>
 *   <li>The hub as two instances {@code a} and {@code b} on one database of its own behind HAProxy (the link in TCP
 *       mode, both holding the hub's certificate); the nodes know the hub at that balancer's address and are
 *       registered at hub instance {@code a} only.</li>
 *   <li>330000 as two instances {@code a} and {@code b} on one database, behind another HAProxy (round robin,
 *       health-checked on {@code GET /medsettle/health}; the national link passed through in TCP mode, both holding
 *       the province's link certificate); the hub knows 330000 at that balancer's link address.</li>
 *   <li>630000 and 130000, insured nodes, each on a database of its own.</li>
 * </ul>
 * Every reference sequence of 330000 for 630000 and 130000 settles through the balancer to the fen — the requests of
 * one stay spread over both instances —, the newest settlement of every third is reversed; node instance {@code a} is
 * killed (kill -9) and started again in the first half, hub instance {@code a} in the second: each balancer takes its
 * instance out and back, no sequence differs, every ledger checks, every settlement notice leaves the outbox once. A
 * node taken out of the directory at one hub instance is refused at the other within seconds, and let in again when
 * registered again. Health and status name PostgreSQL, the node refuses to back it up and names pg_dump; the instance
 * of 330000 holding the outbox's lease is killed (kill -9): the other takes the lease over and answers for every
 * acknowledged settlement. Then a rolling upgrade under load, and the metrics of every instance and balancer.
 * (Until session 46 two classes, this and {@code PostgresqlProcessIT}, each started its own PostgreSQL topology.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LoadBalancedProcessIT {

    private static final Path WORK = Path.of("target/it-load-balanced").toAbsolutePath();
    private static final List<String> INSURED = List.of("630000", "130000");

    /** The hub's two instances, and the balancer in front of them. */
    private ApplianceInstance hubA;
    private ApplianceInstance hubB;
    private Haproxy hubBalancer;
    /** The insured nodes. */
    private final Map<String, ApplianceInstance> nodes = new java.util.LinkedHashMap<>();
    /** The instances of 330000. */
    private final List<ApplianceInstance> instances = new ArrayList<>();
    private Haproxy balancer;
    private ApplianceInstance a;
    private ApplianceInstance b;
    private final Map<Integer, HisClient> hospitals = new HashMap<>();
    private final Map<String, FilingClient> filingClients = new HashMap<>();
    /** What 330000 acknowledged in the first test and did not reverse: each settlement with its person and province. */
    private final List<Acknowledged> acknowledged = new ArrayList<>();

    private record Acknowledged(SequenceReplay.Settled settled, String psnNo, String insured) {
    }

    @AfterAll
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (hubBalancer != null) {
            hubBalancer.close();
        }
        instances.forEach(ApplianceInstance::close);
        nodes.values().forEach(ApplianceInstance::close);
        for (ApplianceInstance hub : java.util.Arrays.asList(hubA, hubB)) {
            if (hub != null) {
                hub.close();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everySequenceSettlesToTheFenThroughTwoBalancersAcrossAKill9OfANodeInstanceAndOfAHubInstance()
            throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        // the hub: two instances on one database, the second holding the first's link identity (the nodes pin one
        // hub certificate), behind its balancer
        String hubDatabase = postgres.newDatabase().getDatabaseName();
        hubA = hubInstance("a", postgres, hubDatabase);
        hubA.start();
        hubA.awaitHealthy();
        hubB = hubInstance("b", postgres, hubDatabase);
        copyLinkIdentity(hubA, hubB);
        hubB.start();
        String hubCertificate = hubA.linkCertificate();
        hubBalancer = Haproxy.start(Files.createDirectories(WORK.resolve("hub-balancer")), List.of(
                new Haproxy.Backend("a", hubA.port("MEDSETTLE_HTTP_PORT"), hubA.port("MEDSETTLE_LINK_PORT")),
                new Haproxy.Backend("b", hubB.port("MEDSETTLE_HTTP_PORT"), hubB.port("MEDSETTLE_LINK_PORT"))));
        // 330000's first instance and the insured nodes start meanwhile
        String database = postgres.newDatabase().getDatabaseName();
        a = instance("a", postgres, database, hubCertificate);
        a.start();
        for (String p : INSURED) {
            ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-" + p, p);
            linkedToTheHubs(node, hubCertificate);
            node.env().put("MEDSETTLE_HEAP", "320M");
            node.env().put("MEDSETTLE_DB_URL", postgres.url(postgres.newDatabase().getDatabaseName()));
            node.env().put("MEDSETTLE_DB_USER", PostgresServer.USER);
            node.start();
            nodes.put(p, node);
        }
        a.awaitHealthy();
        // the second instance holds the province's link identity too: the hub pins one certificate per province
        b = instance("b", postgres, database, hubCertificate);
        copyLinkIdentity(a, b);
        b.start();
        hubB.awaitHealthy();
        assertEquals(hubCertificate, hubB.linkCertificate(), "one link identity for the hub");
        await("both hub instances UP at the hub's balancer").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> "UP".equals(hubBalancer.status("links", "a"))
                        && "UP".equals(hubBalancer.status("links", "b")));
        b.awaitHealthy();
        assertEquals(a.linkCertificate(), b.linkCertificate(), "one link identity for the province");
        balancer = Haproxy.start(Files.createDirectories(WORK.resolve("balancer")), List.of(
                new Haproxy.Backend("a", a.port("MEDSETTLE_HTTP_PORT"), a.port("MEDSETTLE_LINK_PORT")),
                new Haproxy.Backend("b", b.port("MEDSETTLE_HTTP_PORT"), b.port("MEDSETTLE_LINK_PORT"))));
        await("both instances UP at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> "UP".equals(balancer.status("instances", "a")) && "UP".equals(balancer.status("instances", "b")));
        // registered at one hub instance: the other reads it from the database
        hubA.must("hub-node-add 330000 " + balancer.linkUrl() + " " + a.linkCertificate());
        for (Map.Entry<String, ApplianceInstance> e : nodes.entrySet()) {
            e.getValue().awaitHealthy();
            e.getValue().registerAt(hubA, e.getKey());
            filingClients.put(e.getKey(), new FilingClient(e.getValue().httpUrl(), "it", e.getValue().filingClient("it")));
        }

        // the node names its database, without credentials, and says who backs it up
        String health = a.must("health");
        assertTrue(health.matches("(?s).*store\\s+\\|\\s+OK.*PostgreSQL.*" + java.util.regex.Pattern.quote(
                a.env().get("MEDSETTLE_DB_URL")) + ".*"), health);
        assertTrue(a.must("status").matches("(?s).*Database\\s+\\|\\s+PostgreSQL.*"), a.must("status"));
        ApplianceInstance.Result backup = a.console("backup");
        assertTrue(backup.exit() != 0 && backup.out().contains("pg_dump"), backup.toString());

        // the catalogue and the hospitals imported at a; b takes the catalogue version from the database
        hospitals.putAll(ReferenceSetup.catalogueAndHospitals(a, "330000", balancer.httpUrl()));
        await("b follows the catalogue a imported").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> b.console("health").out().matches("(?s).*catalogue\\s+\\|\\s+OK[^\\n]*v1 .*"));
        List<JsonNode> sequences = ReferenceSetup.sequences("330000", INSURED);
        assertTrue(sequences.size() >= 10, "reference sequences of 330000 for 630000 and 130000: " + sequences.size());
        Map<String, String> psnNoOf = ReferenceSetup.importPersons(sequences, '6', WORK, nodes);

        // every sequence through the balancer, the newest settlement of every third reversed; node instance a
        // killed a sixth of the way and started again at two sixths, hub instance a killed halfway and started
        // again at five sixths
        int n = sequences.size();
        for (int i = 0; i < n; i++) {
            if (i == n / 6) {
                a.kill();
                await("a DOWN at the balancer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> balancer.status("instances", "a").startsWith("DOWN"));
            }
            if (i == 2 * n / 6) {
                a.start();
                a.awaitHealthy();
                await("a UP again at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "UP".equals(balancer.status("instances", "a")));
            }
            if (i == n / 2) {
                hubA.kill();
                await("hub a DOWN at the hub's balancer").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200)).until(() -> hubBalancer.status("links", "a").startsWith("DOWN"));
            }
            if (i == 5 * n / 6) {
                hubA.start();
                hubA.awaitHealthy();
                await("hub a UP again at the hub's balancer").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500)).until(() -> "UP".equals(hubBalancer.status("links", "a")));
            }
            JsonNode seq = sequences.get(i);
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
            if (i % 3 == 0 && !settled.isEmpty()) {
                // reverse() fails unless the node answers infcode 0
                SequenceReplay.reverse(settled.remove(settled.size() - 1), psnNo, insured);
            }
            settled.forEach(s -> acknowledged.add(new Acknowledged(s, psnNo, insured)));
        }

        // both instances of each served, every notice left once, the ledgers check at both instances and the
        // insured nodes
        for (String server : List.of("a", "b")) {
            assertTrue(balancer.sessions("instances", server) > 0, server + " served requests:\n" + balancer.stats());
            assertTrue(hubBalancer.sessions("links", server) > 0, "hub " + server + " took connections:\n"
                    + hubBalancer.stats());
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
        System.out.println("[measure] " + acknowledged.size() + " settlements of " + n + " sequences through HAProxy "
                + "over two instances of 330000 and two of the hub on PostgreSQL, one of each killed and restarted");
    }

    /**
     * 130000 taken out of the directory at hub instance a: instance b, which read the directory before, refuses its
     * certificate within its {@code directoryRefreshSeconds} (5 s); registered again at a, b lets it in again.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void aNodeTakenOutAtOneHubInstanceIsRefusedAtTheOtherAndLetInAgainWhenRegisteredAgain() throws Exception {
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

    /**
     * kill -9 of the instance of 330000 that holds the outbox's lease: the other takes the lease over once it has
     * expired (15 s) and answers through the balancer for every settlement acknowledged in the first test (5203);
     * the killed one is started again.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void killedWithTheOutboxsLeaseTheOtherInstanceTakesItOverAndEveryAcknowledgedSettlementIsThere() {
        assertTrue(acknowledged.size() > 10, "the first test acknowledged settlements: " + acknowledged.size());
        String holder = holderOf(a.must("leases"));
        ApplianceInstance killed = a.must("leases").matches("(?s).*link-outbox\\s+\\|[^\\n]*\\(this one\\).*") ? a : b;
        ApplianceInstance other = killed == a ? b : a;
        String server = killed == a ? "a" : "b";
        killed.kill();
        await(server + " DOWN at the balancer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> balancer.status("instances", server).startsWith("DOWN"));
        await("the outbox lease taken over").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> other.must("leases").matches("(?s).*link-outbox\\s+\\|[^\\n]*\\(this one\\)\\s+\\|[^\\n]*held.*"));
        assertTrue(!holder.equals(holderOf(other.must("leases"))), "another holder than " + holder);
        for (Acknowledged s : acknowledged) {
            ObjectNode q = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            q.putObject("data").put("psn_no", s.psnNo()).put("setl_id", s.settled().setlId())
                    .put("mdtrt_id", s.settled().mdtrtId());
            JsonNode answer = s.settled().his().call("5203", s.insured(), q);
            assertEquals("0", answer.path("infcode").asText(), s.settled().setlId() + " after kill -9: " + answer);
        }
        assertTrue(other.must("ledger-check").contains("OK"));
        killed.start();
        killed.awaitHealthy();
        await(server + " UP again at the balancer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> "UP".equals(balancer.status("instances", server)));
        assertTrue(killed.must("ledger-check").contains("OK"));
    }

    @Test
    @org.junit.jupiter.api.Order(4)
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
                        // at most 210 s: the upgrade of both takes 75-150 s on the CI machine; the step ends 10 s
                        // after it, each upgraded instance having settled under load (its metrics are read by the
                        // next test); no warm-up: nothing here is a speed
                        30, new int[] {4}, 210, -1, 0, events, org.medsettle.tools.LoadDriver.Flow.STAYS, Map.of(), 0,
                        java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1), 0, 0, 10));
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
    @org.junit.jupiter.api.Order(5)
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
        // each hub instance counts what it forwarded (a restarted one since its start): both together
        String hubView = ApplianceInstance.get(hubA.httpUrl() + "/medsettle/metrics").body()
                + ApplianceInstance.get(hubB.httpUrl() + "/medsettle/metrics").body();
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

    private ApplianceInstance instance(String name, PostgresServer postgres, String database, String hubCertificate) {
        ApplianceInstance node = ApplianceInstance.unpack(WORK, "node-330000-" + name, "330000");
        linkedToTheHubs(node, hubCertificate);
        node.env().put("MEDSETTLE_HEAP", "384M");
        node.env().put("MEDSETTLE_DB_URL", postgres.url(database));
        node.env().put("MEDSETTLE_DB_USER", PostgresServer.USER);
        node.setting("org.medsettle.transactions.cfg", "admissionMaxAgeDays", "3650");
        instances.add(node);
        return node;
    }

    /** A node (not yet started) knowing the hub at its balancer's link address, pinning the hub's certificate. */
    private void linkedToTheHubs(ApplianceInstance node, String hubCertificate) {
        node.env().put("MEDSETTLE_HUB_URL", hubBalancer.linkUrl());
        node.env().put("MEDSETTLE_HUB_CERT", hubCertificate);
    }

    private ApplianceInstance hubInstance(String name, PostgresServer postgres, String database) {
        ApplianceInstance hub = ApplianceInstance.unpack(WORK, "hub-" + name, "100000");
        hub.env().put("MEDSETTLE_ROLE", "hub");
        hub.env().put("MEDSETTLE_HEAP", "320M");
        hub.env().put("MEDSETTLE_DB_URL", postgres.url(database));
        hub.env().put("MEDSETTLE_DB_USER", PostgresServer.USER);
        return hub;
    }

    /** {@code to} (not yet started) holds {@code from}'s link key and certificate: one identity for both. */
    private static void copyLinkIdentity(ApplianceInstance from, ApplianceInstance to) throws java.io.IOException {
        Path keys = to.home().resolve("etc/keys");
        Files.createDirectories(keys);
        for (String f : List.of("link.p12", "link.password")) {
            Files.copy(from.home().resolve("etc/keys").resolve(f), keys.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The holder column of the {@code link-outbox} line of {@code medsettle:leases}. */
    private static String holderOf(String leases) {
        return leases.lines().filter(l -> l.startsWith("link-outbox")).map(l -> l.split("\\|")[1]
                .replace("(this one)", "").strip()).findFirst().orElse("none");
    }
}
