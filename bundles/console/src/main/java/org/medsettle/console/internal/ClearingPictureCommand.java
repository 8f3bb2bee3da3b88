package org.medsettle.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.clearing.ClearingHub;

/**
 * {@code medsettle:clearing-picture <yyyy-MM> [file]} (hub, administrators: it writes a file on the server): a cleared
 * month's flows between provinces as an SVG heat map, written to {@code file} (default
 * {@code data/clearing/CL<yyyyMM>.svg} under the instance); open it in a browser.
 */
@Service
@Command(scope = "medsettle", name = "clearing-picture", description = "Write a cleared month's flows between provinces as an SVG heat map (the hub; administrators)")
public class ClearingPictureCommand extends ConsoleAction {

    @Argument(index = 0, name = "month", required = true, description = "the month, yyyy-MM")
    String month;

    @Argument(index = 1, name = "file", required = false, description = "where to write it (default data/clearing/CL<yyyyMM>.svg)")
    String file;

    @Reference(optional = true)
    ClearingHub hub;

    @Override
    protected Object run() throws IOException {
        Services.require(hub, ClearingRunCommand.HUB);
        YearMonth m = ClearingRunCommand.month(month);
        String svg = hub.picture(m);
        Path target = file != null ? Path.of(file)
                : Path.of(System.getProperty("karaf.data", "data"), "clearing", ClearingHub.idOf(m) + ".svg");
        if (!target.toString().endsWith(".svg")) {
            throw new IllegalArgumentException("the picture is SVG: name the file *.svg, not " + target);
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(target, svg, StandardCharsets.UTF_8);
        System.out.println("Written " + target.toAbsolutePath() + " (" + svg.length() + " characters): open it in a browser");
        return null;
    }
}
