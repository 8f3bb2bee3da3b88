package org.medsettle.console.internal;

import java.time.LocalDate;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Money;
import org.medsettle.api.supervision.AssistedAudits;

/**
 * {@code medsettle:assisted-audit-list [--open] [--limit n]}: the newest assisted audits this node holds, newest first,
 * overdue marked.
 */
@Service
@Command(scope = "medsettle", name = "assisted-audit-list", description = "List the assisted audits (费用协查) this node opened or has to answer: state, deadline, overdue")
public class AssistedAuditListCommand extends ConsoleAction {

    @Option(name = "--open", description = "only those not answered")
    boolean open;

    @Option(name = "--limit", description = "at most this many cases, the newest (default 200, at most 1000)")
    int limit = 200;

    @Reference(optional = true)
    AssistedAudits audits;

    @Override
    protected Object run() {
        LocalDate today = BusinessClock.today();
        ShellTable table = new ShellTable();
        table.column("Case");
        table.column("setl_id");
        table.column("Insured");
        table.column("Treatment");
        table.column("Hospital");
        table.column("Yuan").alignRight();
        table.column("Opened");
        table.column("Deadline");
        table.column("State");
        for (AssistedAudits.Case k : Services.require(audits, AssistedAuditOpenCommand.SERVICE).cases(open, limit)) {
            table.addRow().addContent(k.caseId(), k.setlId(), k.insured(), k.treatment(), k.hospital(),
                    Money.ofFen(k.medfeeFen()).toYuan().toPlainString(), ClearingShowCommand.time(k.openedAt()),
                    k.deadline(), k.overdue(today) ? "OVERDUE" : k.state().name());
        }
        table.print(System.out);
        return null;
    }
}
