package org.medsettle.console.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.medsettle.api.policy.PolicyRegistry;

/** Completes the division codes of the provinces whose policy is installed. */
@Service
public class ProvinceCompleter implements Completer {

    @Reference(optional = true)
    PolicyRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter codes = new StringsCompleter();
        if (registry != null) {
            registry.provinces().forEach(p -> codes.getStrings().add(p.admdvs().code()));
        }
        return codes.complete(session, commandLine, candidates);
    }
}
