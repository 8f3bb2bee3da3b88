package org.medsettle.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyVersion;
import org.medsettle.api.settlement.FundPayment;
import org.medsettle.api.settlement.ItemSplit;
import org.medsettle.api.settlement.SettlementEngine;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;

/**
 * {@code medsettle:estimate <file>}: an administrator's what-if. A person profile and fee lines from a file,
 * settled by the engine with this node's catalogue and the insured province's policy in force; nothing is stored.
 */
@Service
@Command(scope = "medsettle", name = "estimate", description = "Settle a what-if visit from a JSON file and explain it; nothing is stored")
public class EstimateCommand extends ConsoleAction {

    @Argument(index = 0, name = "file", required = true, description = "the what-if visit (see the console README)")
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    SettlementEngine engine;

    @Reference(optional = true)
    PolicyRegistry policies;

    @Reference(optional = true)
    Catalogue catalogue;

    @Reference(optional = true)
    org.medsettle.api.catalogue.HomeCatalogues homeCatalogues;

    @Override
    protected Object run() throws IOException {
        Services.require(engine, Services.ENGINE);
        Services.require(policies, Services.POLICIES);
        Services.require(catalogue, Services.CATALOGUE);
        Path path = InputFiles.existing(file);
        EstimateFile visit;
        try (InputStream in = Files.newInputStream(path)) {
            visit = EstimateFile.read(in);
        }
        PolicyVersion policy = policies.inForce(visit.insuredPlace(), visit.settlementDate());
        SettlementOutcome o = engine.settle(new SettlementInput(policy.policy(), catalogue, visit.insuranceType(), visit.retired(),
                visit.assistance(), visit.filingCategory(), visit.medicalType(), visit.hospitalLevel(), visit.settlementDate(),
                visit.accountUsed(), visit.items(), visit.accumulators()));

        SettlementAmounts a = o.amounts();
        ShellTable setlinfo = new ShellTable();
        setlinfo.column("setlinfo");
        setlinfo.column("Amount").alignRight();
        Object[][] rows = {{"medfee_sumamt", a.medfeeSumamt()}, {"fulamt_ownpay_amt", a.fulamtOwnpayAmt()},
            {"overlmt_selfpay", a.overlmtSelfpay()}, {"preselfpay_amt", a.preselfpayAmt()}, {"inscp_scp_amt", a.inscpScpAmt()},
            {"act_pay_dedc", a.actPayDedc()}, {"hifp_pay", a.hifpPay()}, {"pool_prop_selfpay", a.poolPropSelfpay().toPlainString()},
            {"hifmi_pay", a.hifmiPay()}, {"hifob_pay", a.hifobPay()}, {"maf_pay", a.mafPay()}, {"fund_pay_sumamt", a.fundPaySumamt()},
            {"psn_part_amt", a.psnPartAmt()}, {"acct_pay", a.acctPay()}, {"psn_cash_pay", a.psnCashPay()}, {"balc", a.balc()}};
        for (Object[] row : rows) {
            setlinfo.addRow().addContent(row);
        }
        setlinfo.print(System.out);
        System.out.println();
        ShellTable details = new ShellTable();
        details.column("fund_pay_type");
        details.column("Fund");
        details.column("fund_payamt").alignRight();
        for (FundPayment d : o.details()) {
            details.addRow().addContent(d.fundPayType(), d.fundPayTypeName(), d.fundPayamt());
        }
        details.print(System.out);
        System.out.println();
        ShellTable items = new ShellTable();
        items.column("feedetl_sn");
        items.column("chrgitm_lv");
        items.column("Amount").alignRight();
        items.column("Self-paid").alignRight();
        items.column("Over limit").alignRight();
        items.column("First share").alignRight();
        items.column("In scope").alignRight();
        for (ItemSplit s : o.items()) {
            items.addRow().addContent(s.feedetlSn(), s.chrgitmLv(), s.amount(), s.fulamtOwnpay(), s.overlmtSelfpay(), s.preselfpay(), s.inscp());
        }
        items.print(System.out);
        System.out.println();
        System.out.println("Why:");
        o.explanation().forEach(line -> System.out.println("  " + line));
        // the treatment difference (待遇差): manual reimbursement at home, under the insured province's own catalogue
        java.util.Optional<Catalogue> home = homeCatalogues == null ? java.util.Optional.empty()
                : homeCatalogues.of(visit.insuredPlace());
        System.out.println();
        if (home.isEmpty()) {
            System.out.println("Treatment difference (待遇差): not estimated, this node has no catalogue of "
                    + visit.insuredPlace().province() + " (its policy bundle carries none; medsettle:catalogue-versions)");
            return null;
        }
        SettlementAmounts m = engine.settle(new SettlementInput(policy.policy(), home.get(), visit.insuranceType(),
                visit.retired(), visit.assistance(), visit.filingCategory(), visit.medicalType(), visit.hospitalLevel(),
                visit.settlementDate(), visit.accountUsed(), visit.items(), visit.accumulators())).amounts();
        ShellTable diff = new ShellTable();
        diff.column("Treatment difference (待遇差)");
        diff.column("Direct settlement here").alignRight();
        diff.column("Manual reimbursement at " + visit.insuredPlace().province()).alignRight();
        diff.column("Difference").alignRight();
        Object[][] lines = {{"fulamt_ownpay_amt", a.fulamtOwnpayAmt(), m.fulamtOwnpayAmt()},
            {"overlmt_selfpay", a.overlmtSelfpay(), m.overlmtSelfpay()}, {"preselfpay_amt", a.preselfpayAmt(), m.preselfpayAmt()},
            {"inscp_scp_amt", a.inscpScpAmt(), m.inscpScpAmt()}, {"fund_pay_sumamt", a.fundPaySumamt(), m.fundPaySumamt()},
            {"psn_part_amt", a.psnPartAmt(), m.psnPartAmt()}};
        for (Object[] l : lines) {
            diff.addRow().addContent(l[0], l[1], l[2], ((org.medsettle.api.Money) l[2]).minus((org.medsettle.api.Money) l[1]));
        }
        diff.print(System.out);
        System.out.println("Catalogue at home: " + home.get().activeVersion());
        // the top-up of the difference (待遇补差) the insured province's policy pays, if it pays one
        policy.policy().treatmentDifferenceTopUp().ifPresentOrElse(t -> System.out.println("Top-up (待遇补差) "
                + visit.insuredPlace().province() + " would pay after the month's clearing: "
                + t.amount(visit.medicalType(), a.fundPaySumamt(), m.fundPaySumamt()) + " (" + PolicyTables.ratio(t.ratio())
                + " of what home pays more, at most " + t.maxPerSettlement() + ")"),
                () -> System.out.println("Top-up (待遇补差): " + visit.insuredPlace().province() + "'s policy pays none"));
        return null;
    }
}
