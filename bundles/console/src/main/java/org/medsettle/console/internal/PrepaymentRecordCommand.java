package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.clearing.Prepayments;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:prepayment-record --reason r [--year y] <insured> <treatment> <yuan>} (administrators): records
 * that the insured province paid the treatment province in advance (预付金) — at either province's node (the other is
 * told through the hub) or at the hub (which has the insured node record it). Audited.
 */
@Service
@Command(scope = "medsettle", name = "prepayment-record", description = "Record a prepayment (预付金) an insured province paid a treatment province, at either node or the hub (administrators)")
public class PrepaymentRecordCommand extends ConsoleAction {

    static final String NODE = "the prepayments of this node (feature medsettle-clearing, MEDSETTLE_ROLE=node)";

    @Argument(index = 0, name = "insured", required = true, description = "the province that pays, e.g. 630000")
    String insured;

    @Argument(index = 1, name = "treatment", required = true, description = "the province paid, e.g. 330000")
    String treatment;

    @Argument(index = 2, name = "yuan", required = true, description = "the amount in yuan, e.g. 1200000.00")
    String yuan;

    @Option(name = "--year", description = "the year it is for (default this year, China time)")
    int year;

    @Option(name = "--reason", required = true, description = "the payment's reference, e.g. the bank transfer's number")
    String reason;

    @Reference(optional = true)
    Prepayments prepayments;

    @Reference(optional = true)
    ClearingHub hub;

    @Override
    protected Object run() {
        Money amount;
        try {
            amount = Money.ofYuan(yuan);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an amount in yuan: '" + yuan + "' (e.g. 1200000.00)");
        }
        int y = year == 0 ? BusinessClock.today().getYear() : year;
        Actor actor = Actor.console(ShellUtil.getCurrentUserName());
        Prepayments.Prepayment p;
        if (hub != null) {
            p = hub.recordPrepayment(Admdvs.of(insured), Admdvs.of(treatment), amount.fen(), y, reason, actor);
        } else {
            p = Services.require(prepayments, NODE).record(Admdvs.of(insured), Admdvs.of(treatment), amount.fen(), y,
                    reason, actor);
        }
        System.out.println("Prepayment " + p.id() + ": " + p.insured() + " pays " + p.treatment() + " "
                + Money.ofFen(p.fen()).toYuan().toPlainString() + " yuan for " + p.year()
                + (hub != null ? " (recorded at " + p.insured() + "'s node; the other node is told through the hub)"
                        : " (the other node is told through the hub)"));
        return null;
    }
}
