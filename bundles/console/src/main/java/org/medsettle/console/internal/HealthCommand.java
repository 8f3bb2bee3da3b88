package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.health.HealthMonitor;
import org.medsettle.api.health.HealthReport;

/**
 * {@code medsettle:health}: runs every health check; prints OK or FAIL with the reason for each. Fails (exit
 * status 1 over ssh) when anything is not OK, so deployment scripts can use it as their probe.
 */
@Service
@Command(scope = "medsettle", name = "health", description = "Run every health check; fail unless all are OK")
public class HealthCommand extends ConsoleAction {

    @Reference(optional = true)
    HealthMonitor monitor;

    /** The detail column's width: a longer detail goes on as many lines as it needs, broken between words. */
    static final int DETAIL_WIDTH = 160;

    /**
     * {@code text} in lines of at most {@code width} characters, broken at spaces (a word longer than the width alone on
     * its line, cut); nothing is lost (Karaf's own wrapping of a table cell drops the character at each break).
     */
    static java.util.List<String> lines(String text, int width) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String rest = text == null ? "" : text.strip();
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                lines.add(rest.substring(0, width));
                rest = rest.substring(width).stripLeading();
            } else {
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut + 1).stripLeading();
            }
        }
        lines.add(rest);
        return lines;
    }

    @Override
    protected Object run() {
        if (monitor == null) {
            throw new IllegalStateException("UNHEALTHY: the health monitor is not running (bundle medsettle-instance: see bundle:list)");
        }
        HealthReport report = monitor.checkAll();
        ShellTable table = new ShellTable();
        table.column("Check");
        table.column("Status");
        table.column("Took").alignRight();
        table.column("Detail");
        for (HealthReport.Entry entry : report.entries()) {
            java.util.List<String> lines = lines(entry.result().detail(), DETAIL_WIDTH);
            table.addRow().addContent(entry.name(), entry.result().status(), Format.millis(entry.took()), lines.get(0));
            for (String more : lines.subList(1, lines.size())) {
                table.addRow().addContent("", "", "", more);
            }
        }
        table.print(System.out);
        if (!report.healthy()) {
            throw new IllegalStateException(report.entries().isEmpty() ? "UNHEALTHY: no health check is registered"
                    : "UNHEALTHY: " + report.failures().size() + " of " + report.entries().size() + " checks failed");
        }
        System.out.println("HEALTHY");
        return null;
    }
}
