package org.medsettle.console.internal;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.topup.TopUp;
import org.medsettle.api.topup.TopUpState;
import org.medsettle.api.topup.TopUps;

/**
 * {@code medsettle:topup-list [--state s] [--month yyyy-MM] [--limit n] [--detail]}: the top-ups of the treatment
 * difference (待遇补差) this province owes its insured persons, with the totals per state.
 */
@Service
@Command(scope = "medsettle", name = "topup-list", description = "Top-ups of the treatment difference (待遇补差) owed to this province's insured: waiting for the clearing, payable, paid, cancelled, to recover")
public class TopUpListCommand extends ConsoleAction {

    static final String SERVICE = "the insured place (feature medsettle-node)";

    @Option(name = "--state", description = "only WAITING, PAYABLE, PAID, CANCELLED or RECOVER")
    String state;

    @Option(name = "--month", description = "only the settlements of this month (yyyy-MM, China time)")
    String month;

    @Option(name = "--limit", description = "at most this many (1 to 1000, default 50)")
    int limit = 50;

    @Option(name = "--detail", description = "also the two fund payments, the policy version and catalogue, the payment")
    boolean detail;

    @Reference(optional = true)
    TopUps topUps;

    @Override
    protected Object run() {
        TopUps t = Services.require(topUps, SERVICE);
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("--limit: 1 to 1000, not " + limit);
        }
        Optional<TopUpState> only = Optional.ofNullable(state).map(TopUpListCommand::state);
        Optional<YearMonth> in = Optional.ofNullable(month).map(TopUpListCommand::month);
        t.totals().forEach((s, total) -> System.out.println(String.format("%-9s %6d  %s", s, total.count(),
                total.amount())));
        List<TopUp> list = t.list(only, in, limit);
        ShellTable table = new ShellTable();
        for (String c : List.of("setl_id", "treatment", "psn_no", "mdtrt_id", "settled (China)", "top-up", "state",
                "why")) {
            table.column(c);
        }
        for (TopUp u : list) {
            table.addRow().addContent(u.setlId(), u.treatmentPlace().code(), u.psnNo(), u.mdtrtId(),
                    u.setlTime().toString().replace('T', ' '), u.amount(), u.state(), u.why());
        }
        table.print(System.out);
        if (detail) {
            for (TopUp u : list) {
                System.out.println(u.setlId() + ": direct settlement paid " + u.directFundPay() + " from the funds, "
                        + "manual reimbursement at home would pay " + u.manualFundPay() + " (policy " + u.policyVersion()
                        + ", catalogue " + u.catalogue() + "); recorded " + MaintenanceText.china(u.receivedAt())
                        + u.paidAt().map(p -> "; paid " + MaintenanceText.china(p)).orElse("")
                        + u.paymentRef().map(r -> " (payment " + r + ")").orElse(""));
            }
        }
        return null;
    }

    static TopUpState state(String v) {
        try {
            return TopUpState.valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--state: WAITING, PAYABLE, PAID, CANCELLED or RECOVER, not '" + v + "'");
        }
    }

    static YearMonth month(String v) {
        try {
            YearMonth m = YearMonth.parse(v.strip());
            if (m.getYear() < 2000 || m.getYear() > 2100) {
                throw new IllegalArgumentException("--month: a month of this century, not " + v);
            }
            return m;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--month: yyyy-MM, not '" + v + "'");
        }
    }
}
