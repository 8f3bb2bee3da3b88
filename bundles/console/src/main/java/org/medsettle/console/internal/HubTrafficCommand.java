package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.hub.HubDirectory;

/** {@code medsettle:hub-traffic}: what went through the hub since it started. */
@Service
@Command(scope = "medsettle", name = "hub-traffic", description = "Show the messages routed by the hub since it started")
public class HubTrafficCommand extends ConsoleAction {

    @Reference(optional = true)
    HubDirectory hub;

    @Override
    protected Object run() {
        Services.require(hub, HubNodesCommand.HUB);
        ShellTable table = new ShellTable();
        table.column("from");
        table.column("to");
        table.column("type");
        table.column("delivered");
        table.column("failed");
        table.column("avg ms");
        table.column("last error");
        for (HubDirectory.Traffic t : hub.traffic()) {
            long n = t.delivered() + t.failed();
            table.addRow().addContent(t.from(), t.to(), t.type(), t.delivered(), t.failed(),
                    n == 0 ? 0 : t.totalMillis() / n, t.lastError());
        }
        table.print(System.out);
        return null;
    }
}
