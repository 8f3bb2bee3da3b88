package org.medsettle.console.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.Admdvs;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.provisional.ProvisionalSettlements;

/**
 * {@code medsettle:provisional-list [--state s] [--province p] [--limit n] [--detail]}: the provisional settlements
 * (暂记结算) of this treatment node, newest first, and per insured province that opted in its risk limit and what is
 * outstanding against it.
 */
@Service
@Command(scope = "medsettle", name = "provisional-list", description = "Provisional settlements (暂记结算) made while an insured province was down: queued, applied, review cases; and the risk limits")
public class ProvisionalListCommand extends ConsoleAction {

    static final String SERVICE = "the HIS transactions (feature medsettle-transactions)";

    @Option(name = "--state", description = "only QUEUED, APPLYING, APPLIED or CASE")
    String state;

    @Option(name = "--province", description = "only settlements of persons insured in this province (e.g. 630000)")
    String province;

    @Option(name = "--limit", description = "at most this many (default 50)")
    int limit = 50;

    @Option(name = "--detail", description = "also why each was provisional, the amounts computed there and the case")
    boolean detail;

    @Reference(optional = true)
    ProvisionalSettlements provisional;

    @Override
    protected Object run() {
        ProvisionalSettlements p = Services.require(provisional, SERVICE);
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("--limit: 1 to 10000, not " + limit);
        }
        Optional<Admdvs> only = Optional.ofNullable(province).map(Admdvs::ofProvince);
        List<ProvisionalSettlements.Entry> entries = p.list(Optional.ofNullable(state).map(String::strip), only, limit);
        Map<String, ProvisionalSettlements.Limit> limits = p.limits();
        if (limits.isEmpty()) {
            System.out.println("No insured province opted in (provisional.limit.<province> in "
                    + "etc/org.medsettle.transactions.cfg): nothing is settled provisionally.");
        }
        limits.forEach((prov, l) -> System.out.println("Risk limit for " + prov + ": " + l.perSettlement()
                + " per settlement, " + l.total() + " in all; outstanding now " + l.outstanding()));
        ShellTable table = new ShellTable();
        for (String c : List.of("setl_id", "insured", "psn_no", "mdtrt_id", "funds", "state", "queued (China)",
                "applied (China)", "attempts", "case")) {
            table.column(c);
        }
        for (ProvisionalSettlements.Entry e : entries) {
            String kase = !"CASE".equals(e.state()) ? "" : e.caseClosed().isPresent() ? "closed" : "OPEN";
            table.addRow().addContent(e.setlId(), e.insuredPlace().code(), e.psnNo(), e.mdtrtId(), e.fundPay(),
                    e.state(), MaintenanceText.china(e.queuedAt()), e.appliedAt().map(MaintenanceText::china).orElse(""),
                    e.attempts(), kase);
        }
        table.print(System.out);
        if (detail) {
            for (ProvisionalSettlements.Entry e : entries) {
                System.out.println(e.setlId() + ": provisional because " + e.reason() + "; computed from what was known "
                        + "as of " + MaintenanceText.china(e.basisReadAt()));
                if (!e.recomputed().isEmpty()) {
                    System.out.println("  computed at the insured province: " + e.recomputed());
                }
                if (!e.lastProblem().isEmpty() && !"APPLIED".equals(e.state())) {
                    System.out.println("  last problem: " + e.lastProblem());
                }
                if (!e.caseReason().isEmpty()) {
                    System.out.println("  review case: " + e.caseReason());
                }
                e.caseClosed().ifPresent(c -> System.out.println("  closed by " + c));
            }
        }
        // the insured agency's side: cases treatment nodes opened on settlements of this province's insured
        List<ProvisionalSettlements.ReceivedCase> received = p.received(limit);
        if (!received.isEmpty()) {
            System.out.println();
            System.out.println("Review cases received about this province's insured (opened at the treatment node, "
                    + "closed there):");
            ShellTable cases = new ShellTable();
            for (String c : List.of("setl_id", "treatment", "psn_no", "mdtrt_id", "received (China)", "case")) {
                cases.column(c);
            }
            for (ProvisionalSettlements.ReceivedCase r : received) {
                cases.addRow().addContent(r.setlId(), r.treatmentPlace().code(), r.psnNo(), r.mdtrtId(),
                        MaintenanceText.china(r.receivedAt()), r.closed().isPresent() ? "closed" : "OPEN");
            }
            cases.print(System.out);
            if (detail) {
                for (ProvisionalSettlements.ReceivedCase r : received) {
                    System.out.println(r.setlId() + ": " + r.reason());
                    r.closed().ifPresent(c -> System.out.println("  closed by " + c));
                }
            }
            System.out.println(received.size() + " review case(s) received");
        }
        long open = entries.stream().filter(e -> "CASE".equals(e.state()) && e.caseClosed().isEmpty()).count();
        System.out.println(entries.size() + " provisional settlement(s)" + (open > 0 ? ", " + open + " open review "
                + "case(s): close each with medsettle:provisional-case-close once the two agencies agree" : ""));
        return null;
    }
}
