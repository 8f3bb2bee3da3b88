package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.filing.FilingApiClients;
import org.medsettle.api.store.Actor;

/** {@code medsettle:filing-client-revoke <name>}: the client's requests are refused from now on. */
@Service
@Command(scope = "medsettle", name = "filing-client-revoke", description = "Revoke a client of the filing API at once (administrators)")
public class FilingClientRevokeCommand extends ConsoleAction {

    @Argument(index = 0, name = "name", required = true, description = "the client")
    String name;

    @Reference(optional = true)
    FilingApiClients clients;

    @Override
    protected Object run() {
        Services.require(clients, FilingClientAddCommand.FILING_API);
        FilingApiClients.Client c = clients.revoke(name, Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Client " + c.name() + " (" + c.fingerprint() + ") revoked");
        return null;
    }
}
