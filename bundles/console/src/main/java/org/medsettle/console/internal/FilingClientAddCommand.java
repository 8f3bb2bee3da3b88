package org.medsettle.console.internal;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.filing.FilingApiClients;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:filing-client-add <name> <key-file>}: a new client of the filing API. Its key is written to a new
 * file (mode 600) for the client's operator, never to the console; the console shows its fingerprint.
 */
@Service
@Command(scope = "medsettle", name = "filing-client-add", description = "Add a client of the filing API (an online service, the agency's counter); its key goes into a new file (administrators)")
public class FilingClientAddCommand extends ConsoleAction {

    static final String FILING_API = "the filing API's clients (feature medsettle-filing-api)";

    @Argument(index = 0, name = "name", required = true, description = "1 to 40 letters, digits, - and _")
    String name;

    @Argument(index = 1, name = "key-file", required = true, description = "a new file on this machine that receives the key (mode 600)")
    String keyFile;

    @Reference(optional = true)
    FilingApiClients clients;

    @Override
    protected Object run() {
        Services.require(clients, FILING_API);
        SecretFile.requireNew(keyFile);
        FilingApiClients.NewClient added = clients.add(name, Actor.console(ShellUtil.getCurrentUserName()));
        Path file = SecretFile.write(keyFile, added.keyBase64());
        System.out.println("Client " + added.client().name() + " added, key " + added.client().fingerprint()
                + " written to " + file);
        return null;
    }
}
