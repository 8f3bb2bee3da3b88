package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.store.Actor;
import org.medsettle.api.supervision.AssistedAudits;

/**
 * {@code medsettle:assisted-audit-answer --comment c <case_id>} (the treatment node, administrators): answers an
 * assisted audit with the visit's bill (attached by the node) and a comment; the insured node is told through the hub.
 * Audited.
 */
@Service
@Command(scope = "medsettle", name = "assisted-audit-answer", description = "Answer an assisted audit with the visit's bill and a comment (the treatment node; administrators)")
public class AssistedAuditAnswerCommand extends ConsoleAction {

    @Argument(index = 0, name = "case_id", required = true, description = "the case, as assisted-audit-list shows it")
    String caseId;

    @Option(name = "--comment", required = true, description = "what the visit's records show")
    String comment;

    @Reference(optional = true)
    AssistedAudits audits;

    @Override
    protected Object run() {
        AssistedAudits.Case k = Services.require(audits, AssistedAuditOpenCommand.SERVICE).answer(caseId, comment,
                Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Assisted audit " + k.caseId() + " answered with " + k.billNote() + "; " + k.insured()
                + " is told through the hub");
        return null;
    }
}
