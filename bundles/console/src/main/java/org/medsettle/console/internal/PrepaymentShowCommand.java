package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.Prepayments;

/**
 * {@code medsettle:prepayment-show [--history]}: this year's prepayments between this province and each other one —
 * prepaid, claims not cleared yet, usage, the alert level (70 % warning, 90 % emergency top-up with its amount) — and
 * with {@code --history} every prepayment recorded.
 */
@Service
@Command(scope = "medsettle", name = "prepayment-show", description = "Show the prepayments (预付金) with every other province: prepaid, claims not cleared, usage, warnings and emergency top-ups (--history: every record)")
public class PrepaymentShowCommand extends ConsoleAction {

    @Option(name = "--history", description = "every prepayment recorded, newest first")
    boolean history;

    @Reference(optional = true)
    Prepayments prepayments;

    @Override
    protected Object run() {
        Services.require(prepayments, PrepaymentRecordCommand.NODE);
        if (history) {
            ShellTable table = new ShellTable();
            table.column("Id");
            table.column("Insured");
            table.column("Treatment");
            table.column("Year");
            table.column("Yuan").alignRight();
            table.column("Recorded");
            table.column("By");
            table.column("Reason");
            for (Prepayments.Prepayment p : prepayments.history()) {
                table.addRow().addContent(p.id(), p.insured().code(), p.treatment().code(), p.year(),
                        yuan(p.fen()), ClearingShowCommand.time(p.recordedAt()), shown(p.recordedBy()), shown(p.reason()));
            }
            table.print(System.out);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Insured (pays)");
        table.column("Treatment (paid)");
        table.column("Year");
        table.column("Prepaid").alignRight();
        table.column("Claims not cleared").alignRight();
        table.column("Usage").alignRight();
        table.column("Level");
        table.column("Since");
        table.column("Top-up asked").alignRight();
        for (Prepayments.Standing s : prepayments.standings()) {
            table.addRow().addContent(s.insured().code(), s.treatment().code(), s.year(), yuan(s.prepaidFen()),
                    yuan(s.outstanding()), s.permille() < 0 ? "no prepayment" : s.permille() / 10 + "." + s.permille() % 10 + " %",
                    s.level(), ClearingShowCommand.time(s.since()), s.topUpFen() == 0 ? "" : yuan(s.topUpFen()));
        }
        table.print(System.out);
        return null;
    }

    static String yuan(long fen) {
        return Money.ofFen(fen).toYuan().toPlainString();
    }
}
