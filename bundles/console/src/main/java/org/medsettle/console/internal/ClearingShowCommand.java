package org.medsettle.console.internal;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.clearing.ClearingBook;
import org.medsettle.api.clearing.ClearingHub;

/**
 * {@code medsettle:clearing-show [yyyy-MM]}: at the hub, every clearing run (or one month's, with each node's part:
 * its report, its result, what went wrong last); at a node, its part in every clearing.
 */
@Service
@Command(scope = "medsettle", name = "clearing-show", description = "Show the monthly clearings: at the hub the runs (a month's with every node), at a node its part in each")
public class ClearingShowCommand extends ConsoleAction {

    static final String NODE = "the clearing at this node (feature medsettle-clearing)";

    @Argument(index = 0, name = "month", required = false, description = "one month, yyyy-MM (the hub: with every node's part)")
    String month;

    @Reference(optional = true)
    ClearingHub hub;

    @Reference(optional = true)
    ClearingBook book;

    @Override
    protected Object run() {
        if (hub != null) {
            if (month != null) {
                ClearingHub.Run run = hub.run(ClearingRunCommand.month(month)).orElseThrow(
                        () -> new IllegalArgumentException("no clearing of " + month + " (medsettle:clearing-run " + month + ")"));
                print(List.of(run));
                System.out.println();
                ShellTable nodes = new ShellTable();
                nodes.column("Node");
                nodes.column("Report");
                nodes.column("Claim lines").alignRight();
                nodes.column("Application lines").alignRight();
                nodes.column("Result taken");
                nodes.column("Last error");
                for (ClearingHub.Source s : run.sources()) {
                    nodes.addRow().addContent(s.node().code(), s.report(), s.claimLines(), s.applicationLines(),
                            time(s.delivered()), s.lastError());
                }
                nodes.print(System.out);
                return null;
            }
            List<ClearingHub.Run> runs = hub.runs();
            print(runs);
            System.out.println(runs.size() + " clearing(s)");
            return null;
        }
        Services.require(book, NODE);
        ShellTable table = new ShellTable();
        table.column("Clearing");
        table.column("Month");
        table.column("Lines reported").alignRight();
        table.column("Cleared").alignRight();
        table.column("Carried").alignRight();
        table.column("Statement received");
        List<ClearingBook.Clearing> list = book.clearings();
        for (ClearingBook.Clearing c : list) {
            if (month == null || c.month().toString().equals(month)) {
                table.addRow().addContent(c.clearingId(), c.month(), c.reported(), c.cleared(), c.carried(),
                        time(c.closed()));
            }
        }
        table.print(System.out);
        System.out.println(list.size() + " clearing(s) this node took part in");
        return null;
    }

    private static void print(List<ClearingHub.Run> runs) {
        ShellTable table = new ShellTable();
        table.column("Clearing");
        table.column("Month");
        table.column("State");
        table.column("Started");
        table.column("By");
        table.column("Claims").alignRight();
        table.column("Applications").alignRight();
        table.column("Cleared").alignRight();
        table.column("Cases").alignRight();
        table.column("Nets sum (fen)").alignRight();
        for (ClearingHub.Run r : runs) {
            table.addRow().addContent(r.clearingId(), r.month(), r.state(), time(r.startedAt()), r.startedBy(),
                    r.claimLines(), r.applicationLines(), r.clearedLines(), r.cases(),
                    r.state() == ClearingHub.State.COLLECTING ? "" : String.valueOf(r.netSum()));
        }
        table.print(System.out);
    }

    static String time(Instant t) {
        return t == null ? "" : t.atZone(org.medsettle.api.BusinessClock.ZONE).toLocalDateTime().withNano(0).toString();
    }
}
