package org.medsettle.console.internal;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.topup.TopUps;

/**
 * {@code medsettle:topup-pay --reference <payment> [--setl-id <setl_id>]} (administrators): records as paid the
 * PAYABLE top-ups of the treatment difference (待遇补差) — all of them, or one — with the payment's reference; each is
 * posted to the ledger ({@code topup:payable} against {@code bank}) and audited, all in one transaction.
 */
@Service
@Command(scope = "medsettle", name = "topup-pay", description = "Record the payable top-ups (待遇补差) as paid, with the payment's reference (administrators; audited)")
public class TopUpPayCommand extends ConsoleAction {

    @Option(name = "--reference", required = true, description = "the payment's reference: the bank batch or voucher (1 to 64 characters)")
    String reference;

    @Option(name = "--setl-id", description = "only the top-up of this settlement (else every PAYABLE one)")
    String setlId;

    @Reference(optional = true)
    TopUps topUps;

    @Override
    protected Object run() {
        TopUps t = Services.require(topUps, TopUpListCommand.SERVICE);
        TopUps.Payment p = t.pay(Optional.ofNullable(setlId).map(String::strip), reference,
                ShellUtil.getCurrentUserName());
        System.out.println(p.paid() == 0 ? "No top-up is payable (medsettle:topup-list --state WAITING shows what waits "
                + "for its clearing)" : p.paid() + " top-up(s) recorded as paid, " + p.amount() + " in all, payment "
                + reference.strip());
        return null;
    }
}
