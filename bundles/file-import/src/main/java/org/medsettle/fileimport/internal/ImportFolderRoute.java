package org.medsettle.fileimport.internal;

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
import org.medsettle.support.PlainFiles;

/**
 * A folder route: a {@code .csv} dropped into the folder (written completely: the file must stop changing for a
 * second) is imported, then moved to {@code done/} or, if refused, {@code failed/}, with
 * {@code <time>-<name>.report.txt} beside it. A symbolic link, a pipe or a device named {@code .csv} is not read
 * ({@link PlainFiles}): refused, moved to {@code failed/} with its report.
 */
public class ImportFolderRoute extends RouteBuilder {

    /** What an import did. */
    public record Report(boolean accepted, String summary, List<String> problems) {
    }

    /** Imports one file: all of it or nothing. */
    @FunctionalInterface
    public interface Importer {
        Report importFile(InputStream in, String name);
    }

    /** A file that was refused; the report says why. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private static final String STAMP = "medsettleStamp";
    private static final DateTimeFormatter STAMP_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final String routeId;
    private final String what;
    private final Path directory;
    private final Importer importer;

    /**
     * @param what for logs, e.g. {@code "Catalogue file"}
     */
    public ImportFolderRoute(String routeId, String what, Path directory, Importer importer) {
        this.routeId = routeId;
        this.what = what;
        this.directory = directory;
        this.importer = importer;
    }

    @Override
    public void configure() {
        onException(RefusedException.class).handled(false).logStackTrace(false).logExhausted(false).logHandled(false);
        from("file:" + directory + "?include=.*\\.csv&readLock=changed&readLockMinAge=1000&readLockCheckInterval=500"
                // an empty file (or a pipe: its length is 0) is taken too, to be refused with a report — by default
                // the changed read lock waits for a first byte, every poll, for ever
                + "&readLockMinLength=0"
                + "&move=done/${header." + STAMP + "}-${file:onlyname}&moveFailed=failed/${header." + STAMP + "}-${file:onlyname}")
                .routeId(routeId)
                .process(this::importFile);
    }

    void importFile(Exchange exchange) throws IOException, RefusedException {
        String stamp = LocalDateTime.now().format(STAMP_FORMAT);
        exchange.getIn().setHeader(STAMP, stamp);
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        InputStream opened;
        try {
            opened = PlainFiles.open(Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class)));
        } catch (PlainFiles.NotPlain e) {
            writeReport("failed", stamp, name, List.of("REFUSED: " + name + " " + e.getMessage() + "; nothing was read "
                    + "or changed: only files written into the folder itself are imported"));
            log.warn("{} {} refused: it {}; nothing read, moved to failed/", what, name, e.getMessage());
            throw new RefusedException(name + " " + e.getMessage());
        }
        Report result;
        try (InputStream in = opened) {
            result = importer.importFile(in, name);
        } catch (RuntimeException e) {
            writeReport("failed", stamp, name, List.of("REFUSED: the import failed: " + e.getMessage()));
            throw e;
        }
        List<String> report = new ArrayList<>();
        if (result.accepted()) {
            report.add("IMPORTED: " + result.summary());
            writeReport("done", stamp, name, report);
            log.info("{} {} imported: {}", what, name, result.summary());
        } else {
            report.add("REFUSED: " + result.problems().size() + " problem(s); nothing was changed");
            report.addAll(result.problems());
            writeReport("failed", stamp, name, report);
            log.warn("{} {} refused: {} problem(s); report in failed/", what, name, result.problems().size());
            throw new RefusedException(name + " refused");
        }
    }

    private void writeReport(String folder, String stamp, String name, List<String> lines) throws IOException {
        Path dir = directory.resolve(folder);
        Files.createDirectories(dir);
        Files.write(dir.resolve(stamp + "-" + name + ".report.txt"), lines, StandardCharsets.UTF_8);
    }
}
