package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.instance.InstanceKeys;

/** {@code medsettle:link-key}: this instance's public key, to register it at the hub (or, on the hub, at the nodes). */
@Service
@Command(scope = "medsettle", name = "link-key", description = "Print this instance's public signing key (base64)")
public class LinkKeyCommand implements Action {

    @Reference(optional = true)
    InstanceKeys keys;

    @Override
    public Object execute() {
        System.out.println(Services.require(keys, "the instance keys (feature medsettle-instance)").publicKey());
        return null;
    }
}
