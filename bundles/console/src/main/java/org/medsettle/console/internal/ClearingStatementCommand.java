package org.medsettle.console.internal;

import java.time.YearMonth;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.ClearingBook;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.clearing.FundAmounts;

/**
 * {@code medsettle:clearing-statement [--csv] <province> <yyyy-MM>}: a province's clearing statement (清算单) for a
 * month — per counterpart what it receives and pays, per fund, in yuan, and the net. At the hub any province's; at a
 * node its own (as the hub gave it). {@code --csv}: the same as CSV (one row per counterpart and direction).
 */
@Service
@Command(scope = "medsettle", name = "clearing-statement", description = "Show a province's clearing statement for a month: what it receives and pays per counterpart and fund (--csv for CSV)")
public class ClearingStatementCommand extends ConsoleAction {

    @Argument(index = 0, name = "province", required = true, description = "the province, e.g. 330000")
    String province;

    @Argument(index = 1, name = "month", required = true, description = "the month, yyyy-MM")
    String month;

    @Option(name = "--csv", description = "print CSV instead of a table")
    boolean csv;

    @Reference(optional = true)
    ClearingHub hub;

    @Reference(optional = true)
    ClearingBook book;

    @Override
    protected Object run() {
        Admdvs p = Admdvs.ofProvince(province);
        YearMonth m = ClearingRunCommand.month(month);
        ClearingStatement s;
        if (hub != null) {
            s = hub.statement(p, m);
        } else {
            Services.require(book, ClearingShowCommand.NODE);
            s = book.statement(m).orElseThrow(() -> new IllegalArgumentException("this node has no statement for " + m
                    + " (medsettle:clearing-show)"));
            if (!s.province().equals(p)) {
                throw new IllegalArgumentException("a node holds its own statement only (" + s.province()
                        + "); the hub has every province's");
            }
        }
        if (csv) {
            StringBuilder b = new StringBuilder("clearing_id,month,province,counterpart,direction,lines");
            for (String f : FundAmounts.FUNDS) {
                b.append(',').append(f).append("_pay");
            }
            b.append(",total\n");
            for (ClearingStatement.Position pos : s.positions()) {
                row(b, s, pos.counterpart(), "receives", pos.receivedLines(), pos.receives());
                row(b, s, pos.counterpart(), "pays", pos.paidLines(), pos.pays());
            }
            System.out.print(b);
            return null;
        }
        System.out.println("Clearing statement " + s.clearingId() + " of " + s.province() + " for " + s.month()
                + " (yuan)");
        ShellTable table = new ShellTable();
        table.column("Counterpart");
        table.column("Direction");
        table.column("Lines").alignRight();
        for (String f : FundAmounts.FUNDS) {
            table.column(f).alignRight();
        }
        table.column("Total").alignRight();
        for (ClearingStatement.Position pos : s.positions()) {
            add(table, pos.counterpart().code(), "receives", pos.receivedLines(), pos.receives());
            add(table, pos.counterpart().code(), "pays", pos.paidLines(), pos.pays());
        }
        table.print(System.out);
        System.out.println("Receives " + yuan(s.receives().total()) + ", pays " + yuan(s.pays().total()) + ", net "
                + yuan(s.net()) + (s.net() >= 0 ? " (paid to " : " (paid by ") + s.province() + "); " + s.carried()
                + " line(s) carried to the next month (medsettle:clearing-cases " + s.month() + ")");
        return null;
    }

    private static void add(ShellTable table, String counterpart, String direction, long lines, FundAmounts a) {
        Object[] row = new Object[3 + 8 + 1];
        row[0] = counterpart;
        row[1] = direction;
        row[2] = lines;
        long[] v = a.values();
        for (int i = 0; i < 8; i++) {
            row[3 + i] = yuan(v[i]);
        }
        row[11] = yuan(a.total());
        table.addRow().addContent(row);
    }

    private static void row(StringBuilder b, ClearingStatement s, Admdvs counterpart, String direction, long lines,
                            FundAmounts a) {
        b.append(s.clearingId()).append(',').append(s.month()).append(',').append(s.province().code()).append(',')
                .append(counterpart.code()).append(',').append(direction).append(',').append(lines);
        for (long v : a.values()) {
            b.append(',').append(yuan(v));
        }
        b.append(',').append(yuan(a.total())).append('\n');
    }

    static String yuan(long fen) {
        return Money.ofFen(fen).toYuan().toPlainString();
    }
}
