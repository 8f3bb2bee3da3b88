package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.hub.HubDirectory;

/** {@code medsettle:hub-nodes}: the hub's directory of province nodes. */
@Service
@Command(scope = "medsettle", name = "hub-nodes", description = "List the nodes in the national hub's directory")
public class HubNodesCommand extends ConsoleAction {

    static final String HUB = "the national hub (feature medsettle-hub; on an instance with MEDSETTLE_ROLE=hub)";

    @Reference(optional = true)
    HubDirectory hub;

    @Override
    protected Object run() {
        Services.require(hub, HUB);
        ShellTable table = new ShellTable();
        table.column("province");
        table.column("address");
        table.column("link certificate (SHA-256)");
        table.column("updated (UTC)");
        for (HubDirectory.Node n : hub.nodes()) {
            table.addRow().addContent(n.admdvs(), n.url(), n.certificate() == null ? "NONE: register again" : n.certificate(), n.updated());
        }
        table.print(System.out);
        System.out.println(hub.indexSize() + " keys in the national index of insured persons");
        return null;
    }
}
