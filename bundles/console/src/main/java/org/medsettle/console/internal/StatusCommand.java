package org.medsettle.console.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.store.Database;
import org.medsettle.api.store.StoreException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** {@code medsettle:status}: role, province, version, database, uptime and every medsettle bundle. */
@Service
@Command(scope = "medsettle", name = "status", description = "Show role, province, version, database, uptime and medsettle bundles")
public class StatusCommand extends ConsoleAction {

    @Reference(optional = true)
    InstanceIdentity identity;

    @Reference(optional = true)
    Database database;

    @Reference
    BundleContext context;

    @Override
    protected Object run() {
        ShellTable summary = new ShellTable().noHeaders();
        summary.column("What");
        summary.column("Value");
        if (identity != null) {
            summary.addRow().addContent("Role", identity.role().label());
            summary.addRow().addContent("Province", identity.admdvs().code());
            summary.addRow().addContent("Version", identity.version());
            summary.addRow().addContent("Hub", identity.hubUrl().map(Object::toString).orElse("not configured"));
        } else {
            summary.addRow().addContent("Instance", "not configured (see medsettle:health)");
        }
        if (database != null) {
            summary.addRow().addContent("Database", database.product());
            summary.addRow().addContent("Location", database.location());
            String size;
            String schema;
            try {
                size = Format.bytes(database.sizeBytes());
                schema = String.valueOf(database.schemaVersion());
            } catch (StoreException e) {
                size = "unknown";
                schema = "unreadable: " + e.getMessage();
            }
            summary.addRow().addContent("Size", size);
            summary.addRow().addContent("Schema version", schema);
        } else {
            summary.addRow().addContent("Database", "not available (see medsettle:health)");
        }
        summary.addRow().addContent("Uptime", Format.duration(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())));
        java.lang.management.MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long limit = Format.heapLimit(ManagementFactory.getRuntimeMXBean().getInputArguments()).orElse(heap.getMax());
        summary.addRow().addContent("Heap", (heap.getUsed() >> 20) + " MiB in use of " + (limit >> 20)
                + " MiB (MEDSETTLE_HEAP)");
        summary.print(System.out);

        System.out.println();
        ShellTable bundles = new ShellTable();
        bundles.column("ID").alignRight();
        bundles.column("Bundle");
        bundles.column("Version");
        bundles.column("State");
        Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("medsettle-"))
                .sorted(Comparator.comparing(Bundle::getSymbolicName))
                .forEach(b -> bundles.addRow().addContent(b.getBundleId(), b.getSymbolicName(), b.getVersion(), state(b.getState())));
        bundles.print(System.out);
        return null;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "Active";
            case Bundle.RESOLVED -> "Resolved";
            case Bundle.INSTALLED -> "Installed";
            case Bundle.STARTING -> "Starting";
            case Bundle.STOPPING -> "Stopping";
            default -> "Uninstalled";
        };
    }
}
