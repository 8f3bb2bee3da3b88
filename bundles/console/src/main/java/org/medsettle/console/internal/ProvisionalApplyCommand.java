package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.provisional.ProvisionalSettlements;

/**
 * {@code medsettle:provisional-apply} (administrators): applies the queued provisional settlements at their insured
 * provinces now, instead of at the next round (every 10 seconds).
 */
@Service
@Command(scope = "medsettle", name = "provisional-apply", description = "Apply the queued provisional settlements at their insured provinces now (administrators)")
public class ProvisionalApplyCommand extends ConsoleAction {

    @Reference(optional = true)
    ProvisionalSettlements provisional;

    @Override
    protected Object run() {
        int[] r = Services.require(provisional, ProvisionalListCommand.SERVICE).applyNow();
        System.out.println(r[0] + " applied, " + r[1] + " became review cases, " + r[2] + " still waiting (their "
                + "insured province does not answer: medsettle:provisional-list --detail)");
        return null;
    }
}
