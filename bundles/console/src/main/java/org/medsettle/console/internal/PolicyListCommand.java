package org.medsettle.console.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

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
public class PolicyListCommand extends ConsoleAction {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference(optional = true)
    PolicyRegistry registry;

    @Reference(optional = true)
    org.medsettle.api.policy.PolicyDistribution distribution;

    @Override
    protected Object run() {
        if (registry == null && distribution != null) {
            // the hub: no policies of its own, the versions published through it and where they are in force
            national();
            return null;
        }
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
        if (distribution != null) {
            System.out.println();
            national();
        }
        return null;
    }

    /** The versions published through the national hub (at a node: as last read from the hub) and each node's state. */
    private void national() {
        java.util.List<org.medsettle.api.policy.PolicyDistribution.Published> published = distribution.published();
        System.out.println("Published through the national hub (policy-publish at a province's node), where in force:");
        ShellTable table = new ShellTable();
        table.column("Province");
        table.column("Version");
        table.column("Effective from");
        table.column("Published");
        table.column("In force at");
        table.column("Refused at");
        java.util.List<String> why = new java.util.ArrayList<>();
        for (org.medsettle.api.policy.PolicyDistribution.Published p : published) {
            java.util.List<String> in = new java.util.ArrayList<>();
            java.util.List<String> out = new java.util.ArrayList<>();
            new java.util.TreeMap<>(p.atNodes()).forEach((node, state) -> {
                if (org.medsettle.api.policy.PolicyDistribution.IN_FORCE.equals(state)) {
                    in.add(node);
                } else {
                    out.add(node);
                    why.add(p.province().code() + " " + p.version() + " at " + node + ": " + state);
                }
            });
            table.addRow().addContent(p.province().code(), p.version(), p.effectiveFrom(), p.publishedBy() + " "
                    + TIME.format(p.publishedAt()), String.join(" ", in), String.join(" ", out));
        }
        table.print(System.out);
        why.forEach(line -> System.out.println("  refused: " + line));
        System.out.println(published.size() + " published version(s)");
    }
}
