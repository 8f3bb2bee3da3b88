package org.medsettle.console.internal;

import java.net.URI;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.Admdvs;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:hub-node-add <province> <url> <certificate>}: registers (or re-registers) a node at the hub: the
 * https address of its link port and the fingerprint of its link certificate, which the hub then requires of it.
 */
@Service
@Command(scope = "medsettle", name = "hub-node-add", description = "Register a province node at the national hub, or change its address or certificate (administrators)")
public class HubNodeAddCommand extends ConsoleAction {

    @Argument(index = 0, name = "province", required = true, description = "e.g. 630000")
    String province;

    @Argument(index = 1, name = "url", required = true, description = "the https address of the node's link port (MEDSETTLE_LINK_PORT), e.g. https://10.0.0.5:8444")
    String url;

    @Argument(index = 2, name = "certificate", required = true, description = "the SHA-256 fingerprint of the node's link certificate (medsettle:link-certificate on the node)")
    String certificate;

    @Reference(optional = true)
    HubDirectory hub;

    @Override
    protected Object run() {
        Services.require(hub, HubNodesCommand.HUB);
        HubDirectory.Node n = hub.register(Admdvs.of(province), URI.create(url.strip()), certificate.strip(),
                Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Node " + n.admdvs() + " at " + n.url() + ", certificate " + n.certificate());
        return null;
    }
}
