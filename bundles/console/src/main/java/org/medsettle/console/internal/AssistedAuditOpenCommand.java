package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.Money;
import org.medsettle.api.store.Actor;
import org.medsettle.api.supervision.AssistedAudits;

/**
 * {@code medsettle:assisted-audit-open --question q [--days d] <setl_id>} (the insured node, administrators): opens an
 * assisted audit (费用协查) of a cross-province inpatient stay above 30,000 yuan; the treatment node is told through
 * the hub. Audited.
 */
@Service
@Command(scope = "medsettle", name = "assisted-audit-open", description = "Open an assisted audit (费用协查) of a stay above 30,000 yuan settled elsewhere for one of this province's people (administrators)")
public class AssistedAuditOpenCommand extends ConsoleAction {

    static final String SERVICE = "the assisted audits (feature medsettle-assisted-audit, MEDSETTLE_ROLE=node)";

    @Argument(index = 0, name = "setl_id", required = true, description = "the settlement, as applied at this insured place")
    String setlId;

    @Option(name = "--question", required = true, description = "what the treatment province is asked to check")
    String question;

    @Option(name = "--days", description = "days until the deadline (default 15, at most 60)")
    int days = 15;

    @Reference(optional = true)
    AssistedAudits audits;

    @Override
    protected Object run() {
        AssistedAudits.Case k = Services.require(audits, SERVICE).open(setlId, question, days,
                Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Assisted audit " + k.caseId() + " opened: settlement " + k.setlId() + " at " + k.treatment()
                + " (" + Money.ofFen(k.medfeeFen()).toYuan().toPlainString() + " yuan), deadline " + k.deadline()
                + "; " + k.treatment() + " is told through the hub");
        return null;
    }
}
