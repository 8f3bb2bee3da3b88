package org.medsettle.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.medsettle.api.policy.PolicyDistribution;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:policy-publish <file.json>} (administrators, at a province's node): validates a version of this
 * province's policy and publishes it through the national hub, which every node installs within its pollSeconds.
 * Audited here and at the hub.
 */
@Service
@Command(scope = "medsettle", name = "policy-publish", description = "Publish a version of this province's policy through the national hub to every node (administrators; audited here and at the hub)")
public class PolicyPublishCommand extends ConsoleAction {

    @Argument(index = 0, name = "file", required = true, description = "the policy file (policy-format.md), at most 32,000 characters")
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    PolicyDistribution distribution;

    @Override
    protected Object run() throws IOException {
        PolicyDistribution d = Services.require(distribution, "policy distribution (feature medsettle-policy-distribution)");
        Path path = InputFiles.existing(file);
        if (Files.size(path) > 256 * 1024) {
            throw new IllegalArgumentException(file + ": a policy file is at most 32,000 characters");
        }
        System.out.println(d.publish(Files.readAllBytes(path), Actor.console(ShellUtil.getCurrentUserName())));
        return null;
    }
}
