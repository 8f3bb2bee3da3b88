package org.medsettle.console.internal;

import java.net.URI;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.Admdvs;
import org.medsettle.api.hub.HubDirectory;
import org.medsettle.api.link.Signatures;
import org.medsettle.api.store.Actor;

/** {@code medsettle:hub-node-add <province> <url> <key>}: registers (or re-registers) a node at the hub. */
@Service
@Command(scope = "medsettle", name = "hub-node-add", description = "Register a province node at the national hub, or change its address or key (administrators)")
public class HubNodeAddCommand implements Action {

    @Argument(index = 0, name = "province", required = true, description = "e.g. 630000")
    String province;

    @Argument(index = 1, name = "url", required = true, description = "the node's HTTP address, e.g. http://10.0.0.5:8181")
    String url;

    @Argument(index = 2, name = "key", required = true, description = "the node's public key (medsettle:link-key on the node)")
    String key;

    @Reference(optional = true)
    HubDirectory hub;

    @Override
    public Object execute() {
        Services.require(hub, HubNodesCommand.HUB);
        HubDirectory.Node n = hub.register(Admdvs.of(province), URI.create(url.strip()), key.strip(),
                Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Node " + n.admdvs() + " at " + n.url() + ", key " + Signatures.fingerprint(n.publicKey()));
        return null;
    }
}
