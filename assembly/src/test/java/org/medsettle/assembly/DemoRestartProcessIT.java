package org.medsettle.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's demo as a user runs it (issue 10, item 6): {@code ./run.sh}, {@code ./run.sh stop}, {@code ./run.sh}
 * again on the same databases — both days settle every visit, and the link works after the second start (it broke
 * when the hub's key was read before the hub was ready). The demo runs in its own directory and on ports of its own
 * ({@code MEDSETTLE_DEMO_DIR}, {@code MEDSETTLE_DEMO_PORT_OFFSET}), so it never touches a developer's demo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoRestartProcessIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/it-demo").toAbsolutePath();
    /** The demo's directory and ports, and its JVMs on C1 only as every process test's ({@link ApplianceInstance}). */
    private static final Map<String, String> ENV = env();

    private static Map<String, String> env() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("MEDSETTLE_DEMO_DIR", WORK.resolve("run").toString(),
                "MEDSETTLE_DEMO_PORT_OFFSET", "1000"));
        ApplianceInstance.putJavaOpts(env);
        return Map.copyOf(env);
    }

    private ApplianceInstance.Result runSh(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("sh", ROOT.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        return ApplianceInstance.run(ROOT, command, ENV, Duration.ofMinutes(8));
    }

    @AfterAll
    void stopTheDemo() throws IOException {
        runSh("stop");
        if (Files.isDirectory(WORK.resolve("run"))) {
            try (var instances = Files.list(WORK.resolve("run"))) {
                instances.filter(Files::isDirectory).forEach(ApplianceInstance::releaseDisk);
            }
        }
    }

    @Test
    void theDemoStartedStoppedAndStartedAgainSettlesItsDayBothTimes() throws IOException {
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);

        ApplianceInstance.Result first = runSh();
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().contains("Visits: 30, settlements: 30"), first::toString);

        ApplianceInstance.Result stop = runSh("stop");
        assertEquals(0, stop.exit(), stop::toString);
        assertTrue(stop.out().contains("Stopped hub."), stop::toString);

        ApplianceInstance.Result second = runSh();
        assertEquals(0, second.exit(), "the second start on the same databases: " + second);
        assertTrue(second.out().contains("Visits: 30, settlements: 30"), second::toString);
        assertFalse((second.out() + second.err()).contains("does not carry a valid signature"), second::toString);
        assertFalse(second.out().contains("\u001b["), "no ANSI codes in what the scripts read and print");

        ApplianceInstance.Result status = runSh("status");
        assertEquals(0, status.exit(), status::toString);
        assertEquals(3, java.util.regex.Pattern.compile("(?m)^HEALTHY$").matcher(status.out()).results().count(),
                status::toString);
    }
}
