package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import java.time.LocalDate;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Money;
import org.medsettle.api.supervision.AssistedAudits;

/** {@code medsettle:assisted-audit-show <case_id>}: one case, its question, its answer and the bill that came with it. */
@Service
@Command(scope = "medsettle", name = "assisted-audit-show", description = "Show one assisted audit: question, deadline, answer and the visit's bill")
public class AssistedAuditShowCommand extends ConsoleAction {

    @Argument(index = 0, name = "case_id", required = true, description = "the case")
    String caseId;

    @Reference(optional = true)
    AssistedAudits audits;

    @Override
    protected Object run() {
        AssistedAudits.Case k = Services.require(audits, AssistedAuditOpenCommand.SERVICE).get(caseId)
                .orElseThrow(() -> new IllegalArgumentException("no assisted audit " + caseId + " at this node"));
        LocalDate today = BusinessClock.today();
        System.out.println("Case        " + k.caseId() + " (" + (k.overdue(today) ? "OVERDUE" : k.state()) + ")");
        System.out.println("Settlement  " + k.setlId() + ", visit " + k.mdtrtId() + ", hospital " + k.hospital()
                + " in " + k.treatment() + ", " + Money.ofFen(k.medfeeFen()).toYuan().toPlainString() + " yuan");
        System.out.println("Opened      " + ClearingShowCommand.time(k.openedAt()) + " by " + shown(k.openedBy()) + " of "
                + k.insured() + ", deadline " + k.deadline());
        System.out.println("Question    " + shown(k.question()));
        if (k.state() == AssistedAudits.State.ANSWERED) {
            System.out.println("Answered    " + ClearingShowCommand.time(k.answeredAt()) + " by " + shown(k.answeredBy()));
            System.out.println("Comment     " + shown(k.comment()));
            System.out.println("Bill        " + k.billNote());
            ShellTable table = new ShellTable();
            table.column("feedetl_sn");
            table.column("med_list_codg");
            table.column("fee_ocur_time");
            table.column("pric").alignRight();
            table.column("cnt").alignRight();
            table.column("det_item_fee_sumamt").alignRight();
            table.column("chrgitm_lv");
            for (AssistedAudits.BillLine l : k.bill()) {
                table.addRow().addContent(l.feedetlSn(), l.medListCodg(), l.feeOcurTime(), l.pric().toPlainString(),
                        l.cnt().toPlainString(), l.detItemFeeSumamt().toPlainString(), l.chrgitmLv());
            }
            table.print(System.out);
        }
        return null;
    }
}
