package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.filing.FilingApiClients;

/** {@code medsettle:filing-client-list}: the filing API's clients with their keys' fingerprints (never the keys). */
@Service
@Command(scope = "medsettle", name = "filing-client-list", description = "List the clients of the filing API and their keys' fingerprints")
public class FilingClientListCommand extends ConsoleAction {

    @Reference(optional = true)
    FilingApiClients clients;

    @Override
    protected Object run() {
        Services.require(clients, FilingClientAddCommand.FILING_API);
        ShellTable table = new ShellTable();
        table.column("Client");
        table.column("Key fingerprint");
        table.column("Added");
        table.column("By");
        table.column("State");
        for (FilingApiClients.Client c : clients.list()) {
            table.addRow().addContent(c.name(), c.fingerprint(), AuditCommand.TIME.format(c.createdAt()), c.createdBy(),
                    c.revokedAt().map(at -> "revoked " + AuditCommand.TIME.format(at) + " by " + c.revokedBy().orElse(""))
                            .orElse("active"));
        }
        table.print(System.out);
        return null;
    }
}
