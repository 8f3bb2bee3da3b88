package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.link.LinkState;
import org.medsettle.api.link.NationalLink;

/** {@code medsettle:link-status}: the node's link to the national hub. */
@Service
@Command(scope = "medsettle", name = "link-status", description = "Show the national link: hub, certificates, last exchanges, outbox")
public class LinkStatusCommand extends ConsoleAction {

    static final String LINK = "the national link (feature medsettle-link; on a node with MEDSETTLE_ROLE=node)";

    @Reference(optional = true)
    NationalLink link;

    @Override
    protected Object run() {
        Services.require(link, LINK);
        LinkState s = link.state();
        ShellTable table = new ShellTable().noHeaders();
        table.column("What");
        table.column("Value");
        table.addRow().addContent("hub", s.hub().map(Object::toString).orElse("NOT CONFIGURED (MEDSETTLE_HUB_URL)"));
        table.addRow().addContent("hub certificate (SHA-256)", s.hubCertificate());
        table.addRow().addContent("last answer", s.lastSuccess().map(Object::toString).orElse("never"));
        table.addRow().addContent("last failure", s.lastFailure().map(t -> t + ": " + s.lastError()).orElse("none"));
        table.addRow().addContent("circuit breaker", s.circuit());
        table.addRow().addContent("outbox waiting", s.outboxPending()
                + s.oldestPending().map(t -> " (oldest " + t + ")").orElse(""));
        table.print(System.out);
        return null;
    }
}
