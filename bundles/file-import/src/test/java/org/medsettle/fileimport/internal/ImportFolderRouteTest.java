package org.medsettle.fileimport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import folder's route in a real CamelContext on a real folder: a plain file is imported; a symbolic link or a
 * pipe named {@code .csv} is never read — refused, moved to {@code failed/} with a report saying what it is — and
 * the folder goes on importing.
 */
class ImportFolderRouteTest {

    @TempDir
    Path folder;
    @TempDir
    Path elsewhere;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    /** What the importer was given: each file's name and content. */
    private final List<String> imported = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        camel.start();
        camel.addRoutes(new ImportFolderRoute("test-import", "Test file", folder, (in, name) -> {
            try {
                imported.add(name + ": " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new ImportFolderRoute.Report(true, "1 line", List.of());
        }));
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** The report written into {@code sub} for {@code name}, once it is there. */
    private String report(String sub, String name) throws IOException {
        Path dir = folder.resolve(sub);
        Awaitility.await(name + "'s report in " + sub + "/").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> reportOf(dir, name) != null);
        return reportOf(dir, name);
    }

    private static String reportOf(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            Path report = files.filter(f -> f.getFileName().toString().endsWith("-" + name + ".report.txt"))
                    .findFirst().orElse(null);
            return report == null ? null : Files.readString(report);
        }
    }

    @Test
    void aLinkNamedCsvIsRefusedWithoutReadingItsTargetAndTheNextFileIsImported() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("link.p12"), "the node's key");
        Files.createSymbolicLink(folder.resolve("persons.csv"), secret);
        String failed = report("failed", "persons.csv");
        assertTrue(failed.startsWith("REFUSED: persons.csv is a symbolic link; nothing was read"), failed);
        assertTrue(!failed.contains("the node's key"), failed);
        assertTrue(imported.isEmpty(), imported.toString());
        assertEquals("the node's key", Files.readString(secret), "the target as it was");
        Awaitility.await("the link itself moved to failed/").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    try (Stream<Path> files = Files.list(folder.resolve("failed"))) {
                        return files.anyMatch(f -> f.getFileName().toString().endsWith("-persons.csv")
                                && Files.isSymbolicLink(f));
                    }
                });

        Files.writeString(folder.resolve("catalogue.csv"), "a,b");
        assertTrue(report("done", "catalogue.csv").startsWith("IMPORTED: 1 line"));
        assertEquals(List.of("catalogue.csv: a,b"), imported);
    }

    @Test
    void aPipeNamedCsvIsRefusedWithoutWaitingForAWriterAndTheNextFileIsImported() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", folder.resolve("extract.csv").toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        Files.writeString(folder.resolve("after.csv"), "c,d");
        assertTrue(report("done", "after.csv").startsWith("IMPORTED: 1 line"));
        String failed = report("failed", "extract.csv");
        assertTrue(failed.startsWith("REFUSED: extract.csv is not a plain file (a device or a pipe)"), failed);
        assertEquals(List.of("after.csv: c,d"), imported);
    }
}
