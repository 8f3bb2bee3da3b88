package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Action;
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
public class HealthCommand implements Action {

    @Reference(optional = true)
    HealthMonitor monitor;

    @Override
    public Object execute() {
        if (monitor == null) {
            throw new IllegalStateException("UNHEALTHY: the health monitor is not running (bundle medsettle-instance: see bundle:list)");
        }
        HealthReport report = monitor.checkAll();
        ShellTable table = new ShellTable();
        table.column("Check");
        table.column("Status");
        table.column("Took").alignRight();
        table.column("Detail").maxSize(160).wrap();
        for (HealthReport.Entry entry : report.entries()) {
            table.addRow().addContent(entry.name(), entry.result().status(), Format.millis(entry.took()), entry.result().detail());
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
