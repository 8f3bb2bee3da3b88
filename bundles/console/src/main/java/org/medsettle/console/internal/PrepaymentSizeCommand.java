package org.medsettle.console.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.Prepayments;

/**
 * {@code medsettle:prepayment-size [--year y] [--months m] <province>}: what a year's prepayment between this
 * province and another should be — {@code m} (2) months of the year before's flows, each direction.
 */
@Service
@Command(scope = "medsettle", name = "prepayment-size", description = "Suggest a year's prepayment with another province: two months (--months) of last year's flows, each direction")
public class PrepaymentSizeCommand extends ConsoleAction {

    @Argument(index = 0, name = "province", required = true, description = "the other province, e.g. 630000")
    String province;

    @Option(name = "--year", description = "the year to prepay (default next year)")
    int year;

    @Option(name = "--months", description = "months of flows to prepay (default 2)")
    int months = 2;

    @Reference(optional = true)
    Prepayments prepayments;

    @Override
    protected Object run() {
        int y = year == 0 ? BusinessClock.today().getYear() + 1 : year;
        List<Prepayments.Sizing> list = Services.require(prepayments, PrepaymentRecordCommand.NODE)
                .size(Admdvs.of(province), y, months);
        if (list.isEmpty()) {
            System.out.println("No flows with " + province + " in " + (y - 1) + ": nothing to size a prepayment on");
            return null;
        }
        for (Prepayments.Sizing s : list) {
            System.out.println(s.insured() + " pays " + s.treatment() + " for " + y + ": "
                    + PrepaymentShowCommand.yuan(s.suggestedFen()) + " yuan (" + s.months() + " months of "
                    + PrepaymentShowCommand.yuan(s.basisFen()) + " yuan in " + s.basisYear() + ")");
        }
        return null;
    }
}
