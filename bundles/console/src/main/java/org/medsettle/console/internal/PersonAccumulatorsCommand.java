package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.insured.InsuredLedger;
import org.medsettle.api.settlement.Accumulators;

/** {@code medsettle:person-accumulators <psn_no> [year]}: what the insured node keeps for a person. */
@Service
@Command(scope = "medsettle", name = "person-accumulators", description = "Show an insured person's accumulators for a year, balance and settlements applied")
public class PersonAccumulatorsCommand extends ConsoleAction {

    @Argument(index = 0, name = "psn_no", required = true)
    String psnNo;

    @Argument(index = 1, name = "year", description = "default: this year")
    Integer year;

    @Reference(optional = true)
    InsuredLedger ledger;

    @Override
    protected Object run() {
        Services.require(ledger, "the insured-place service (feature medsettle-transactions)");
        int thisYear = BusinessClock.today().getYear();
        int y = year == null ? thisYear : year;
        if (y < 2000 || y > thisYear) {
            // nothing is kept for a year no settlement can be of: a table of zeros would say it was looked at
            throw new IllegalArgumentException("year: from 2000 to " + thisYear + ", not " + y);
        }
        Accumulators a = ledger.accumulators(psnNo.strip(), y);
        ShellTable table = new ShellTable();
        table.column("accumulator " + y);
        table.column("in scope / axis");
        table.column("paid");
        table.column("annual deductible paid");
        a.pools().forEach((name, p) -> table.addRow().addContent("pool " + name, p.inscp(), p.hifpPaid(),
                p.annualDeductiblePaid()));
        a.layers().forEach((fund, l) -> table.addRow().addContent("layer " + fund.key(), l.axis(), l.paid(), ""));
        table.addRow().addContent("inpatient admissions", a.inpatientAdmissions(), "", "");
        table.addRow().addContent("medical assistance", "", a.assistancePaid(), "");
        table.addRow().addContent("account balance", "", a.accountBalance(), "");
        table.print(System.out);
        ShellTable applied = new ShellTable();
        applied.column("setl_id");
        applied.column("treatment");
        applied.column("hospital");
        applied.column("med_type");
        applied.column("state");
        applied.column("total");
        applied.column("funds");
        applied.column("account");
        for (InsuredLedger.Applied s : ledger.settlements(psnNo.strip(), 20)) {
            applied.addRow().addContent(s.setlId(), s.treatmentPlace(), s.fixmedinsCode(), s.medType(), s.state(),
                    s.medfeeSumamt(), s.fundPaySumamt(), s.acctPay());
        }
        System.out.println();
        applied.print(System.out);
        return null;
    }
}
