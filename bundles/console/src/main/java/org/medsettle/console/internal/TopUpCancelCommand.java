package org.medsettle.console.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.topup.TopUp;
import org.medsettle.api.topup.TopUps;

/**
 * {@code medsettle:topup-cancel <setl_id> <reason…>} (administrators): cancels a WAITING or PAYABLE top-up of the
 * treatment difference (待遇补差), e.g. when the review of its settlement found it not due; posted and audited.
 */
@Service
@Command(scope = "medsettle", name = "topup-cancel", description = "Cancel a top-up (待遇补差) that is not paid yet, with the reason (administrators; audited)")
public class TopUpCancelCommand extends ConsoleAction {

    @Argument(index = 0, name = "setl_id", required = true, description = "the settlement, as topup-list shows it")
    String setlId;

    @Argument(index = 1, name = "reason", required = true, multiValued = true, description = "why it is not paid (1 to 500 characters)")
    List<String> reason;

    @Reference(optional = true)
    TopUps topUps;

    @Override
    protected Object run() {
        TopUps t = Services.require(topUps, TopUpListCommand.SERVICE);
        TopUp after = t.cancel(setlId.strip(), String.join(" ", reason), ShellUtil.getCurrentUserName());
        System.out.println("Top-up " + after.amount() + " of settlement " + after.setlId() + " cancelled: " + after.why());
        return null;
    }
}
