package org.medsettle.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.store.Actor;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.medsettle.api.catalogue.CatalogueAdmin;
import org.medsettle.api.catalogue.ImportResult;

/** {@code medsettle:catalogue-import <file>}: a new catalogue version from CSV, active at once, or nothing and every bad line. */
@Service
@Command(scope = "medsettle", name = "catalogue-import", description = "Import a catalogue CSV as a new active version (administrators)")
public class CatalogueImportCommand extends ConsoleAction {

    @Argument(index = 0, name = "file", required = true, description = "med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to")
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    CatalogueAdmin catalogue;

    @Override
    protected Object run() throws IOException {
        Services.require(catalogue, Services.CATALOGUE);
        Path path = InputFiles.existing(file);
        long size = Files.size(path);
        String user = ShellUtil.getCurrentUserName();
        ImportResult result;
        try (InputStream in = Files.newInputStream(path)) {
            ProgressBar bar = new ProgressBar(System.out, Math.max(1, size / 80));
            result = catalogue.importCsv(in, path.getFileName().toString(), Actor.console(user), bar::lines);
            bar.done();
        }
        if (!result.accepted()) {
            throw InputFiles.refused(result.problems(), path);
        }
        System.out.println(summary(result));
        return null;
    }

    /**
     * What an accepted import says: the entries, the new version, and how many codes it covers today against the
     * version it replaced — with a warning and the way back when markedly fewer.
     */
    static String summary(ImportResult result) {
        return "Imported " + result.lines() + " entries as " + result.version().orElseThrow().label() + ", now active ("
                + result.took().toMillis() + " ms); " + result.coverage()
                + result.warning().map(w -> System.lineSeparator() + "WARNING: " + w).orElse("");
    }

    /** Lines read so far against the file's expected line count, redrawn on one line. */
    static final class ProgressBar {
        private final java.io.PrintStream out;
        private final long expectedLines;
        private boolean drawn;

        ProgressBar(java.io.PrintStream out, long expectedLines) {
            this.out = out;
            this.expectedLines = expectedLines;
        }

        void lines(int read) {
            out.print("\r" + render(read, expectedLines));
            out.flush();
            drawn = true;
        }

        void done() {
            if (drawn) {
                out.println();
            }
        }

        static String render(long read, long expected) {
            int width = 30;
            int filled = (int) Math.min(width, read * width / Math.max(1, expected));
            return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + read + " lines";
        }
    }
}
