package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shipped tarball run as an administrator runs it: unpacked, started with {@code bin/start} and environment
 * variables, driven through {@code bin/medsettle}, stopped, restarted, cleaned. Real processes, real Derby.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplianceProcessIT {

    private static final Path WORK = Path.of("target/it-process").toAbsolutePath();
    private static final Pattern STARTED = Pattern.compile("\\| INSTANCE_STARTED");

    private ApplianceInstance zhejiang;

    @BeforeAll
    void startANode() throws IOException {
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        zhejiang = ApplianceInstance.unpack(WORK, "zhejiang", "330000");
        long start = System.nanoTime();
        zhejiang.start();
        zhejiang.ensureCatalogue();
        zhejiang.awaitHealthy();
        Duration boot = Duration.ofNanos(System.nanoTime() - start);
        measure("new installation: bin/start, import of the 3,000-entry sample catalogue, medsettle:health OK: " + boot.toMillis() + " ms; resident memory "
                + zhejiang.residentKib() / 1024 + " MiB");
    }

    @AfterAll
    void stopTheNode() {
        if (zhejiang != null) {
            zhejiang.close();
        }
    }

    @Test
    @Order(1)
    void aNewNodeReportsItsOwnSettingsAndDatabase() {
        ApplianceInstance.Result status = zhejiang.console("status");
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().matches("(?s).*Province\\s+\\|\\s+330000.*"), status::toString);
        assertTrue(status.out().matches("(?s).*Role\\s+\\|\\s+node.*"), status::toString);
        assertTrue(status.out().contains(zhejiang.databaseDirectory().resolve("medsettle").toString()), status::toString);
        assertTrue(status.out().matches("(?s).*Schema version\\s+\\|\\s+16.*"), status::toString);
        // the hub and the ledger bundles ship their own migrations (Medsettle-Schema), applied by the store's extender
        // on every instance
        ApplianceInstance.Result health = zhejiang.console("health");
        String schemas = detailOf(health.out(), "schemas");
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-hub v3"), health::toString);
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-ledger v1"), health::toString);
        assertTrue(health.out().matches("(?s).*ledger\\s+\\|\\s+OK\\s+\\|.*"), health::toString);
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-supervision v3"), health::toString);
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-maintenance v1"), health::toString);
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-assisted-audit v2"), health::toString);
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-treatment v6"), health::toString);
        assertTrue(schemas.startsWith("OK") && schemas.contains("medsettle-insured v2"), health::toString);
        assertTrue(health.out().matches("(?s).*maintenance\\s+\\|\\s+OK\\s+\\|[^\\n]*no maintenance announced.*"),
                health::toString);
        assertTrue(health.out().matches("(?s).*supervision\\s+\\|\\s+OK\\s+\\|[^\\n]*\\| 0 flag\\(s\\) waiting for review; every rule flags.*"),
                health::toString);
        ApplianceInstance.Result ledger = zhejiang.console("ledger-check");
        assertEquals(0, ledger.exit(), ledger::toString);
        assertTrue(ledger.out().contains("sum 0 fen") && ledger.out().contains("settlements at the place of treatment")
                && ledger.out().contains("settlements applied at the insured place")
                && ledger.out().contains("top-ups of the treatment difference have exactly their entries"), ledger::toString);
        // the heap limit of bin/setenv (MEDSETTLE_HEAP: 512M for test instances, 1024M by default) reaches the JVM
        assertTrue(status.out().matches("(?s).*Heap\\s+\\|\\s+\\d+ MiB in use of 512 MiB.*"), status::toString);
        // the parallel collector of bin/setenv, added to the options the test gave (EXTRA_JAVA_OPTS, C1 only)
        java.util.List<String> jvmArguments = jvmArguments(zhejiang);
        java.util.List<String> given = java.util.Arrays.stream(zhejiang.env().getOrDefault("EXTRA_JAVA_OPTS", "")
                .split("\\s+")).filter(o -> !o.isBlank()).toList();
        assertTrue(jvmArguments.contains("-XX:+UseParallelGC") && jvmArguments.containsAll(given),
                () -> jvmArguments + " for " + given);
        // and transparent huge pages wherever the kernel offers them (its setting "always" or "madvise")
        assertEquals(kernelOffersTransparentHugePages(), jvmArguments.contains("-XX:+UseTransparentHugePages"),
                () -> jvmArguments.toString());
        for (String bundle : new String[] {"medsettle-api", "medsettle-store", "medsettle-instance", "medsettle-console",
                "medsettle-probe", "medsettle-policy", "medsettle-catalogue", "medsettle-policy-630000", "medsettle-supervision",
                "medsettle-metrics"}) {
            assertTrue(status.out().matches("(?s).*" + bundle + "\\s+\\|[^\\n]*\\|\\s+Active.*"), bundle + " not active: " + status);
        }
        // Derby's imports: a fragment, attached (Resolved) and never started (docs/stack.md, trap 58)
        assertTrue(status.out().matches("(?s).*medsettle-derby-imports\\s+\\|[^\\n]*\\|\\s+Resolved.*"), status::toString);
        assertTrue(Files.isDirectory(zhejiang.databaseDirectory().resolve("medsettle")), "database outside the instance");
        assertFalse(Files.exists(zhejiang.home().resolve("data/medsettle")), "nothing of the database under data/");
        assertEquals(1, count(STARTED, zhejiang.console("audit -t INSTANCE_STARTED").out()));
    }

    @Test
    @Order(1)
    void theHttpProbeAnswersOnTheConfiguredPortWithoutDetails() {
        await("HTTP probe").atMost(Duration.ofSeconds(30)).until(() -> zhejiang.probe().exit() == 200);
        ApplianceInstance.Result probe = zhejiang.probe();
        assertEquals(200, probe.exit(), probe::toString);
        assertEquals("{\"status\":\"UP\",\"checks\":{\"assisted-audit\":\"OK\",\"catalogue\":\"OK\",\"components\":\"OK\",\"ledger\":\"OK\",\"link\":\"OK\",\"link-certificate\":\"OK\",\"maintenance\":\"OK\",\"policies\":\"OK\",\"prepayment\":\"OK\",\"provisional\":\"OK\",\"schemas\":\"OK\",\"store\":\"OK\",\"supervision\":\"OK\"}}", probe.out());
    }

    @Test
    @Order(2)
    void anAuditorReadsButOnlyAnAdministratorChanges() throws IOException {
        assertEquals(0, zhejiang.console("auditor", "health").exit());
        assertEquals(0, zhejiang.console("auditor", "status").exit());
        assertEquals(0, zhejiang.console("auditor", "audit").exit());

        Path refused = WORK.resolve("backup-by-auditor");
        ApplianceInstance.Result backup = zhejiang.console("auditor", "backup " + refused);
        assertEquals(1, backup.exit(), backup::toString);
        assertFalse(Files.exists(refused));
        Path cfg = zhejiang.home().resolve("etc/org.medsettle.instance.cfg");
        String before = Files.readString(cfg);
        assertEquals(1, zhejiang.console("auditor", "config:property-set -p org.medsettle.instance admdvs 110000").exit());
        assertEquals(before, Files.readString(cfg));

        Path allowed = WORK.resolve("backup-by-admin");
        ApplianceInstance.Result adminBackup = zhejiang.console("backup " + allowed);
        assertEquals(0, adminBackup.exit(), adminBackup::toString);
        assertTrue(Files.isDirectory(allowed.resolve("medsettle")));
        assertTrue(zhejiang.console("audit -t DATABASE_BACKED_UP").out().contains("admin"));
    }

    @Test
    @Order(3)
    void aBadSettingFailsHealthWithItsNameAndTheFixTakesEffectWithoutARestart() throws IOException {
        Path cfg = zhejiang.home().resolve("etc/org.medsettle.instance.cfg");
        String good = Files.readString(cfg);
        Files.writeString(cfg, good.replaceAll("(?m)^admdvs = .*$", "admdvs = 33"), StandardCharsets.UTF_8);
        try {
            badSettingIsReported();
        } finally {
            Files.writeString(cfg, good, StandardCharsets.UTF_8);
        }
        await("health OK again").atMost(Duration.ofSeconds(30)).until(() -> zhejiang.console("health").exit() == 0);
    }


    private void badSettingIsReported() {
        await("health FAIL").atMost(Duration.ofSeconds(30)).until(() -> zhejiang.console("health").exit() == 1);
        ApplianceInstance.Result health = zhejiang.console("health");
        assertTrue(health.out().contains("MEDSETTLE_ADMDVS"), health::toString);
        assertTrue(health.out().contains("'33'"), health::toString);
        ApplianceInstance.Result probe = zhejiang.probe();
        assertEquals(503, probe.exit(), probe::toString);
        assertTrue(probe.out().contains("\"components\":\"FAIL\""), probe::toString);
    }

    @Test
    @Order(4)
    void theDatabaseSurvivesARestart() {
        zhejiang.stop();
        assertEquals(2, zhejiang.console("health").exit(), "a stopped instance is reported as unreachable");
        zhejiang.start();
        zhejiang.awaitHealthy();

        String started = zhejiang.console("audit -t INSTANCE_STARTED").out();
        assertEquals(2, count(STARTED, started), started);
        assertTrue(zhejiang.console("audit -t DATABASE_BACKED_UP").out().contains("DATABASE_BACKED_UP"));
        assertTrue(zhejiang.console("catalogue-versions").out().contains("catalogue-330000.csv"), "the catalogue survives a restart");
    }

    @Test
    @Order(5)
    void theDatabaseSurvivesKarafClean() throws IOException {
        Path marker = zhejiang.home().resolve("data/medsettle-it-marker");
        Files.writeString(marker, "deleted by bin/karaf clean");
        zhejiang.stop();
        zhejiang.start("clean");
        zhejiang.awaitHealthy();

        assertFalse(Files.exists(marker), "data/ was not cleaned");
        String started = zhejiang.console("audit -t INSTANCE_STARTED").out();
        assertEquals(3, count(STARTED, started), started);
        assertTrue(zhejiang.console("audit -t DATABASE_BACKED_UP").out().contains("DATABASE_BACKED_UP"));
        assertTrue(zhejiang.console("catalogue-versions").out().contains("catalogue-330000.csv"), "the catalogue survives bin/karaf clean");
    }

    @Test
    @Order(6)
    void twoInstancesWithDifferentSettingsRunSideBySide() {
        try (ApplianceInstance qinghai = ApplianceInstance.unpack(WORK, "qinghai", "630000")) {
            // an operator's collector wins over bin/setenv's, and so does an operator's "no huge pages"
            qinghai.env().merge("EXTRA_JAVA_OPTS", "-XX:+UseG1GC -XX:-UseTransparentHugePages",
                    (given, mine) -> given + " " + mine);
            long start = System.nanoTime();
            qinghai.start();
            qinghai.ensureCatalogue();
            qinghai.awaitHealthy();
            assertTrue(jvmArguments(qinghai).contains("-XX:+UseG1GC"), () -> jvmArguments(qinghai).toString());
            assertFalse(jvmArguments(qinghai).contains("-XX:+UseParallelGC"), () -> jvmArguments(qinghai).toString());
            assertFalse(jvmArguments(qinghai).contains("-XX:+UseTransparentHugePages"),
                    () -> jvmArguments(qinghai).toString());
            Duration boot = Duration.ofNanos(System.nanoTime() - start);
            measure("second instance beside the first, to health OK: " + boot.toMillis() + " ms");

            assertEquals(0, zhejiang.console("health").exit());
            assertTrue(qinghai.console("status").out().matches("(?s).*Province\\s+\\|\\s+630000.*"));
            await("HTTP probe of the second instance").atMost(Duration.ofSeconds(30)).until(() -> qinghai.probe().exit() == 200);
            assertEquals(200, zhejiang.probe().exit());
            assertTrue(zhejiang.console("status").out().matches("(?s).*Province\\s+\\|\\s+330000.*"));
            assertNotEquals(qinghai.databaseDirectory(), zhejiang.databaseDirectory());
            assertTrue(Files.isDirectory(qinghai.databaseDirectory().resolve("medsettle")));
            assertEquals(1, count(STARTED, qinghai.console("audit -t INSTANCE_STARTED").out()), "each instance has its own database");
            // bin/medsettle of one instance pointed at the other's console says so (host keys are per instance)
            java.util.Map<String, String> wrongPort = new java.util.HashMap<>(qinghai.env());
            wrongPort.put("MEDSETTLE_SSH_PORT", zhejiang.env().get("MEDSETTLE_SSH_PORT"));
            ApplianceInstance.Result crossed = ApplianceInstance.run(qinghai.home(),
                    java.util.List.of(qinghai.home().resolve("bin/medsettle").toString(), "status"), wrongPort, Duration.ofSeconds(60));
            assertEquals(2, crossed.exit(), crossed::toString);
            assertTrue(crossed.err().contains("is not this instance's"), crossed::toString);
        }
    }

    @Test
    @Order(8)
    void aHubCertificateThatIsNotAFingerprintFailsHealthAtOnceNamingTheSetting() throws IOException {
        Path instance = zhejiang.home().resolve("etc/org.medsettle.instance.cfg");
        Path link = zhejiang.home().resolve("etc/org.medsettle.link.cfg");
        String instanceBefore = Files.readString(instance);
        String linkBefore = Files.readString(link);
        try {
            // what run.sh once did: an error message where the hub's key (now: certificate) belongs
            zhejiang.setting("org.medsettle.instance.cfg", "hubUrl", "https://127.0.0.1:9");
            zhejiang.setting("org.medsettle.link.cfg", "hubCertificate", "Error executing command: Command not found");
            await("health to name MEDSETTLE_HUB_CERT").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    // the link's own line: the maintenance check's detail may quote the link's problem too
                    .until(() -> zhejiang.console("health").out().matches("(?s).*\\blink\\s+\\|\\s+FAIL[^\\n]*MEDSETTLE_HUB_CERT.*"));
            ApplianceInstance.Result health = zhejiang.console("health");
            assertEquals(1, health.exit(), health::toString);
            assertTrue(health.out().matches("(?s).*link\\s+\\|\\s+FAIL.*"), health::toString);
        } finally {
            Files.writeString(instance, instanceBefore);
            Files.writeString(link, linkBefore);
        }
        zhejiang.awaitHealthy();
    }

    @Test
    @Order(7)
    void scriptsSeeFailuresInTheExitStatus() {
        ApplianceInstance.Result unknown = zhejiang.console("no-such-command");
        assertEquals(1, unknown.exit(), unknown::toString);
        ApplianceInstance.Result noKey = zhejiang.console("nobody", "health");
        assertEquals(2, noKey.exit(), noKey::toString);
        assertTrue(noKey.err().contains("no console key"), noKey::toString);
    }

    @Test
    void aRefusedCommandSaysWhyAndExitsOneWithoutAnErrorInTheLog() throws IOException {
        Path log = zhejiang.home().resolve("data/log/karaf.log");
        long before = Files.readString(log, StandardCharsets.UTF_8).length();
        // input refused, nothing found, a year out of range, by the administrator and by the read-only auditor
        for (String[] userAndLine : new String[][] {{"admin", "filing-show no-such-filing"},
                {"admin", "person-accumulators 63000000000000900001 1999"}, {"auditor", "filing-show 0"},
                {"auditor", "policy-show 990000"}}) {
            ApplianceInstance.Result r = zhejiang.console(userAndLine[0], userAndLine[1]);
            assertEquals(1, r.exit(), r::toString);
            assertTrue((r.out() + r.err()).contains("Error executing command: "), r::toString);
        }
        // Karaf's ShellUtil logs a command's exception at ERROR with its stack trace unless it is a CommandException:
        // a refusal is not an error of the node (and a read-only user could fill the log with them)
        String added = Files.readString(log, StandardCharsets.UTF_8).substring((int) before);
        assertFalse(added.contains("Exception caught while executing command"), added);
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void measure(String line) {
        System.out.println("[measure] " + line);
        try {
            Files.writeString(WORK.resolve("measurements.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The status and detail of one check in {@code medsettle:health}'s table, its lines (a detail longer than 160
     * characters goes on below, broken between words) joined again: e.g. "OK medsettle-assisted-audit v1, ...".
     */
    static String detailOf(String table, String check) {
        StringBuilder detail = new StringBuilder();
        boolean in = false;
        for (String line : table.split("\n")) {
            String[] cells = line.split("\\|", 4);
            if (cells.length < 4) {
                in = false;
                continue;
            }
            if (cells[0].strip().equals(check)) {
                in = true;
                detail.append(cells[1].strip()).append(' ').append(cells[3].strip());
            } else if (in && cells[0].isBlank()) {
                detail.append(' ').append(cells[3].strip());
            } else {
                in = false;
            }
        }
        return detail.toString();
    }

    /** The options the instance's JVM runs with, as the operating system shows them. */
    private static java.util.List<String> jvmArguments(ApplianceInstance instance) {
        ProcessHandle jvm = instance.jvm().orElseThrow(() -> new AssertionError("no JVM of " + instance.home()));
        return java.util.List.of(jvm.info().arguments().orElseThrow(() -> new AssertionError("no arguments of " + jvm)));
    }

    /** Whether this machine's kernel offers transparent huge pages to a process that asks (always or madvise). */
    static boolean kernelOffersTransparentHugePages() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
                    .matches("(?s).*\\[(always|madvise)\\].*");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
