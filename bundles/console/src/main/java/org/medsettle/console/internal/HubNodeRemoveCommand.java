package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.Admdvs;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:hub-node-remove <province>}: takes a node out of the hub's directory — its link certificate is no
 * longer accepted and nothing is routed to it. Audited.
 */
@Service
@Command(scope = "medsettle", name = "hub-node-remove", description = "Take a province node out of the national hub's directory: its certificate is refused from then on (administrators)")
public class HubNodeRemoveCommand extends ConsoleAction {

    @Argument(index = 0, name = "province", required = true, description = "e.g. 630000")
    String province;

    @Reference(optional = true)
    HubDirectory hub;

    @Override
    protected Object run() {
        Services.require(hub, HubNodesCommand.HUB);
        Admdvs admdvs = Admdvs.of(province);
        if (!hub.remove(admdvs, Actor.console(ShellUtil.getCurrentUserName()))) {
            throw new IllegalArgumentException("no node of " + admdvs + " in the hub's directory");
        }
        System.out.println("Node " + admdvs + " taken out of the directory: its requests are refused from now on");
        return null;
    }
}
