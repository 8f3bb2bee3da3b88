package org.medsettle.console.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.provisional.ProvisionalSettlements;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:provisional-case-close <setl_id> <note…>} (administrators): closes the review case of a provisional
 * settlement with what the two agencies agreed; audited. The settlement and what the hospital was told do not change.
 */
@Service
@Command(scope = "medsettle", name = "provisional-case-close", description = "Close the review case of a provisional settlement with the agencies' conclusion (administrators; audited)")
public class ProvisionalCaseCloseCommand extends ConsoleAction {

    @Argument(index = 0, name = "setl_id", required = true, description = "the settlement, as provisional-list shows it")
    String setlId;

    @Argument(index = 1, name = "note", required = true, multiValued = true, description = "what the two agencies agreed (1 to 500 characters)")
    List<String> note;

    @Reference(optional = true)
    ProvisionalSettlements provisional;

    @Override
    protected Object run() {
        ProvisionalSettlements p = Services.require(provisional, ProvisionalListCommand.SERVICE);
        if (!p.closeCase(setlId.strip(), String.join(" ", note), Actor.console(ShellUtil.getCurrentUserName()))) {
            throw new IllegalArgumentException("settlement " + setlId + " is no open review case "
                    + "(medsettle:provisional-list --state CASE)");
        }
        System.out.println("Review case of settlement " + setlId + " closed");
        return null;
    }
}
