package org.medsettle.console.internal;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.Filing;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;

/** {@code medsettle:filing-add}: files (备案) for a person insured here, at the agency's counter. */
@Service
@Command(scope = "medsettle", name = "filing-add", description = "File a person insured here for treatment in another province (administrators)")
public class FilingAddCommand extends ConsoleAction {

    static final String FILINGS = "the filing registry (feature medsettle-filings)";

    @Argument(index = 0, name = "psn_no", required = true, description = "the person")
    String psnNo;

    @Argument(index = 1, name = "category", required = true, description = "RETIREE_RESETTLED, LONG_TERM_RESIDENT, STATIONED_WORKER, REFERRAL, EMERGENCY or TEMPORARY")
    String category;

    @Argument(index = 2, name = "treatment", required = true, description = "division code of the place of treatment, e.g. 330000")
    String treatment;

    @Option(name = "--from", description = "first day covered, yyyy-MM-dd (default today; may be earlier for a late filing)")
    String from;

    @Option(name = "--to", description = "last day covered (temporary categories; default 6 months)")
    String to;

    @Option(name = "--evidence", description = "what the category needs: residence proof, 个人承诺, the referral opinion")
    String evidence;

    @Option(name = "--hospital", description = "for referrals: the receiving hospital's fixmedins_code")
    String hospital;

    @Option(name = "--reason", description = "recorded in the history")
    String reason;

    @Reference(optional = true)
    FilingRegistry filings;

    @Override
    protected Object run() {
        Services.require(filings, FILINGS);
        FilingCategory c;
        try {
            c = FilingCategory.valueOf(category.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("category must be one of " + java.util.Arrays.toString(FilingCategory.values()));
        }
        Filing f = filings.file(new FilingRequest(psnNo.strip(), c, Admdvs.of(treatment),
                from == null ? BusinessClock.today() : ConsoleDates.day("--from", from),
                ConsoleDates.day("--to", Optional.ofNullable(to)), evidence, hospital),
                Actor.console(ShellUtil.getCurrentUserName()), reason);
        System.out.println("Filed " + f.filingId() + ": " + f.category() + " for treatment in " + f.treatmentPlace()
                + " from " + f.validFrom() + f.validTo().map(d -> " to " + d).orElse(" until changed"));
        return null;
    }
}
