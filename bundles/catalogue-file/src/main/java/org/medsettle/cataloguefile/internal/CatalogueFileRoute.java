package org.medsettle.cataloguefile.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.medsettle.api.catalogue.CatalogueAdmin;
import org.medsettle.api.catalogue.ImportResult;
import org.medsettle.api.store.Actor;

/**
 * {@code catalogue-file-import}: a {@code .csv} dropped into the folder (written completely: the file must stop
 * changing for a second) is imported as a new catalogue version, then moved to {@code done/} or, if refused,
 * {@code failed/}, with {@code <name>.report.txt} beside it.
 */
public class CatalogueFileRoute extends RouteBuilder {

    static final String ROUTE_ID = "catalogue-file-import";
    static final Actor ACTOR = Actor.file("catalogue-file-import");
    private static final String STAMP = "medsettleStamp";
    private static final DateTimeFormatter STAMP_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path directory;
    private final CatalogueAdmin catalogue;

    public CatalogueFileRoute(Path directory, CatalogueAdmin catalogue) {
        this.directory = directory;
        this.catalogue = catalogue;
    }

    /** A file that was refused; the report says why. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    @Override
    public void configure() {
        onException(RefusedException.class).handled(false).logStackTrace(false).logExhausted(false).logHandled(false);
        from("file:" + directory + "?include=.*\\.csv&readLock=changed&readLockMinAge=1000&readLockCheckInterval=500"
                + "&move=done/${header." + STAMP + "}-${file:onlyname}&moveFailed=failed/${header." + STAMP + "}-${file:onlyname}")
                .routeId(ROUTE_ID)
                .process(this::importFile);
    }

    void importFile(Exchange exchange) throws IOException, RefusedException {
        String stamp = LocalDateTime.now().format(STAMP_FORMAT);
        exchange.getIn().setHeader(STAMP, stamp);
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        ImportResult result;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            result = catalogue.importCsv(in, name, ACTOR, lines -> { });
        } catch (RuntimeException e) {
            writeReport("failed", stamp, name, List.of("REFUSED: the import failed: " + e.getMessage()));
            throw e;
        }
        List<String> report = new ArrayList<>();
        if (result.accepted()) {
            report.add("IMPORTED: " + result.lines() + " entries as " + result.version().orElseThrow().label() + ", now active ("
                    + result.took().toMillis() + " ms)");
            writeReport("done", stamp, name, report);
            log.info("Catalogue file {} imported as {}", name, result.version().orElseThrow().label());
        } else {
            report.add("REFUSED: " + result.problems().size() + " problem(s); nothing was changed");
            report.addAll(result.problems());
            writeReport("failed", stamp, name, report);
            log.warn("Catalogue file {} refused: {} problem(s); report in failed/", name, result.problems().size());
            throw new RefusedException(name + " refused");
        }
    }

    private void writeReport(String folder, String stamp, String name, List<String> lines) throws IOException {
        Path dir = directory.resolve(folder);
        Files.createDirectories(dir);
        Files.write(dir.resolve(stamp + "-" + name + ".report.txt"), lines, StandardCharsets.UTF_8);
    }
}
