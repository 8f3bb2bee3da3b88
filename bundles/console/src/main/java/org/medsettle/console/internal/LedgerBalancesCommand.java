package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.Money;
import org.medsettle.api.ledger.Ledger;

/**
 * {@code medsettle:ledger-balances [prefix]}: every ledger account (or those whose name begins with the prefix, e.g.
 * {@code claim:630000}) with its balance in yuan and its number of entries, and their total.
 */
@Service
@Command(scope = "medsettle", name = "ledger-balances", description = "Show the ledger's accounts and balances (optionally those beginning with a prefix, e.g. claim:630000)")
public class LedgerBalancesCommand extends ConsoleAction {

    @Argument(index = 0, name = "prefix", description = "only accounts whose name begins with it, e.g. claim:630000 or hospital:", required = false)
    String prefix = "";

    @Reference(optional = true)
    Ledger ledger;

    @Override
    protected Object run() {
        var balances = Services.require(ledger, LedgerCheckCommand.LEDGER).balances(prefix);
        ShellTable table = new ShellTable();
        table.column("Account");
        table.column("Balance (yuan)").alignRight();
        table.column("Entries").alignRight();
        long total = 0;
        for (Ledger.Balance b : balances) {
            table.addRow().addContent(b.account(), Money.ofFen(b.fen()).toYuan().toPlainString(), b.entries());
            total += b.fen();
        }
        table.print(System.out);
        System.out.println(balances.size() + " account(s), total " + Money.ofFen(total).toYuan().toPlainString()
                + (prefix == null || prefix.isBlank() ? " (all accounts: 0.00)" : ""));
        return null;
    }
}
