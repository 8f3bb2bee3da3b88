package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.filing.FilingChange;
import org.medsettle.api.filing.FilingDetails;
import org.medsettle.api.filing.FilingRegistry;

/** {@code medsettle:filing-history <filing id>}: every change of a filing, with time, operator, channel, reason. */
@Service
@Command(scope = "medsettle", name = "filing-history", description = "Show every change of a filing")
public class FilingHistoryCommand extends ConsoleAction {

    @Argument(index = 0, name = "filing id", required = true)
    String id;

    @Reference(optional = true)
    FilingRegistry filings;

    @Override
    protected Object run() {
        Services.require(filings, FilingAddCommand.FILINGS);
        FilingDetails d = filings.details(id.strip()).orElseThrow(() -> new IllegalArgumentException("no filing " + id));
        ShellTable table = new ShellTable();
        table.column("when (UTC)");
        table.column("what");
        table.column("operator");
        table.column("channel");
        table.column("state after");
        table.column("reason");
        for (FilingChange c : d.history()) {
            table.addRow().addContent(c.at(), c.action(), shown(c.operator()), c.channel(), c.stateAfter(), shown(c.reason()));
        }
        table.print(System.out);
        return null;
    }
}
