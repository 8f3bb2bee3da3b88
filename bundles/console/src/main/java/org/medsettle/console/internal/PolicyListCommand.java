package org.medsettle.console.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.policy.PolicyRefusal;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyVersion;
import org.medsettle.api.policy.ProvincePolicy;

/** {@code medsettle:policy-list}: every insured-province policy version, its effective date and its bundle; refusals. */
@Service
@Command(scope = "medsettle", name = "policy-list", description = "List the insured-province policies, their versions and bundles")
public class PolicyListCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference(optional = true)
    PolicyRegistry registry;

    @Override
    public Object execute() {
        Services.require(registry, Services.POLICIES);
        ShellTable table = new ShellTable();
        table.column("Province");
        table.column("Name");
        table.column("Version");
        table.column("Effective from");
        table.column("Bundle and file");
        for (ProvincePolicy province : registry.provinces()) {
            for (PolicyVersion v : province.versions()) {
                table.addRow().addContent(v.admdvs(), v.policy().name(), v.version(), v.effectiveFrom(), v.source());
            }
        }
        table.print(System.out);
        if (!registry.refusals().isEmpty()) {
            System.out.println();
            System.out.println("Refused (what was in force before stays in force):");
            ShellTable refused = new ShellTable();
            refused.column("Bundle");
            refused.column("When");
            refused.column("Problems").maxSize(120).wrap();
            for (PolicyRefusal r : registry.refusals()) {
                refused.addRow().addContent(r.bundle(), TIME.format(r.at()), String.join("; ", r.problems()));
            }
            refused.print(System.out);
        }
        return null;
    }
}
