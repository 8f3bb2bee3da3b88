package org.medsettle.console.internal;

import java.time.YearMonth;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.clearing.ClearingBook;
import org.medsettle.api.clearing.ClearingCase;
import org.medsettle.api.clearing.ClearingHub;

/**
 * {@code medsettle:clearing-cases [yyyy-MM]}: the lines a clearing could not clear (differences, carried to the next
 * month): at the hub a month's cases (the latest run's if no month is given) with both sides' amounts; at a node its
 * own lines carried forward.
 */
@Service
@Command(scope = "medsettle", name = "clearing-cases", description = "Show the lines a clearing carried to the next month (differences): at the hub a month's cases, at a node its own carried lines")
public class ClearingCasesCommand extends ConsoleAction {

    @Argument(index = 0, name = "month", required = false, description = "the clearing's month, yyyy-MM (the hub; the latest if omitted)")
    String month;

    @Option(name = "--limit", description = "at most this many lines (default 200)")
    int limit = 200;

    @Reference(optional = true)
    ClearingHub hub;

    @Reference(optional = true)
    ClearingBook book;

    @Override
    protected Object run() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        if (hub != null) {
            YearMonth m;
            if (month == null) {
                List<ClearingHub.Run> runs = hub.runs();
                if (runs.isEmpty()) {
                    System.out.println("No clearing yet");
                    return null;
                }
                m = runs.get(0).month();
            } else {
                m = ClearingRunCommand.month(month);
            }
            List<ClearingCase> cases = hub.cases(m);
            ShellTable table = new ShellTable();
            table.column("Treatment");
            table.column("Insured");
            table.column("setl_id");
            table.column("Move");
            table.column("Month");
            table.column("Kind");
            table.column("Claimed").alignRight();
            table.column("Applied").alignRight();
            table.column("First seen");
            for (ClearingCase c : cases.subList(0, Math.min(limit, cases.size()))) {
                table.addRow().addContent(c.treatment().code(), c.insured().code(), c.setlId(), c.movement().sign(),
                        c.month(), c.kind(), c.claimed().map(a -> ClearingStatementCommand.yuan(a.total())).orElse("-"),
                        c.applied().map(a -> ClearingStatementCommand.yuan(a.total())).orElse("-"), c.firstSeen());
            }
            table.print(System.out);
            System.out.println(cases.size() + " case(s) in clearing " + ClearingHub.idOf(m) + ", carried to the next "
                    + "month" + (cases.size() > limit ? " (" + limit + " shown: --limit)" : ""));
            return null;
        }
        Services.require(book, ClearingShowCommand.NODE);
        List<ClearingBook.Line> lines = book.carried(limit + 1);
        ShellTable table = new ShellTable();
        table.column("Side");
        table.column("Counterpart");
        table.column("setl_id");
        table.column("Move");
        table.column("Month");
        table.column("Amount").alignRight();
        table.column("Last clearing");
        for (ClearingBook.Line l : lines.subList(0, Math.min(limit, lines.size()))) {
            table.addRow().addContent(l.side(), l.counterpart().code(), l.setlId(), l.movement().sign(), l.month(),
                    ClearingStatementCommand.yuan(l.amounts().total()), l.clearingId());
        }
        table.print(System.out);
        System.out.println(Math.min(limit, lines.size()) + " line(s) carried to the next clearing"
                + (lines.size() > limit ? " (more: --limit)" : ""));
        return null;
    }
}
