package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.link.OutboxEntry;

/** {@code medsettle:outbox}: the notices waiting to go to other nodes (and the latest sent). */
@Service
@Command(scope = "medsettle", name = "outbox", description = "List the national link's outbox, newest first")
public class OutboxCommand extends ConsoleAction {

    static final int MAX_LIMIT = 1000;

    @Option(name = "--all", description = "also the notices already sent")
    boolean all;

    @Option(name = "-n", description = "how many (1 to 1000, default 20)")
    int limit = 20;

    @Reference(optional = true)
    NationalLink link;

    @Override
    protected Object run() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("-n: from 1 to " + MAX_LIMIT + " notices, not " + limit);
        }
        Services.require(link, LinkStatusCommand.LINK);
        ShellTable table = new ShellTable();
        table.column("seq");
        table.column("msg_id");
        table.column("type");
        table.column("to");
        table.column("written (UTC)");
        table.column("attempts");
        table.column("sent");
        table.column("last error");
        for (OutboxEntry e : link.outbox(limit, !all)) {
            table.addRow().addContent(e.seq(), e.msgId(), e.type(), e.to(), e.created(), e.attempts(),
                    e.sentAt().map(Object::toString).orElse("waiting"), e.lastError());
        }
        table.print(System.out);
        return null;
    }
}
