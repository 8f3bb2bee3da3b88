package org.medsettle.console.internal;

import java.time.LocalDate;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.Admdvs;
import org.medsettle.api.policy.PolicyNotFoundException;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyVersion;

/** {@code medsettle:policy-show <admdvs> [date]}: the version in force on a date, as tables. */
@Service
@Command(scope = "medsettle", name = "policy-show", description = "Show an insured province's policy in force on a date (default today)")
public class PolicyShowCommand extends ConsoleAction {

    @Argument(index = 0, name = "admdvs", required = true, description = "the insured province, e.g. 630000")
    @Completion(ProvinceCompleter.class)
    String admdvs;

    @Argument(index = 1, name = "date", description = "settlement date yyyy-MM-dd, default today")
    String date;

    @Reference(optional = true)
    PolicyRegistry registry;

    @Override
    protected Object run() {
        Services.require(registry, Services.POLICIES);
        Admdvs province = Admdvs.ofProvince(admdvs);
        LocalDate on = date == null ? BusinessClock.today() : ConsoleDates.day("date", date);
        PolicyVersion version;
        try {
            version = registry.inForce(province, on);
        } catch (PolicyNotFoundException e) {
            throw new IllegalArgumentException("no policy of insured province " + province + " is in force on " + on
                    + " at this node (medsettle:policy-list lists the versions it has)");
        }
        System.out.println("In force on " + on + ": " + version.source());
        PolicyTables.print(version.policy(), System.out);
        return null;
    }
}
