package org.medsettle.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.medsettle.api.policy.InvalidPolicyException;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.PolicyValidator;

/** {@code medsettle:policy-check <file>}: validates a policy file without installing it. */
@Service
@Command(scope = "medsettle", name = "policy-check", description = "Validate a policy file without installing it")
public class PolicyCheckCommand extends ConsoleAction {

    @Argument(index = 0, name = "file", required = true, description = "a policy JSON file")
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    PolicyValidator validator;

    @Override
    protected Object run() throws IOException {
        Services.require(validator, Services.POLICIES);
        Path path = InputFiles.existing(file);
        Policy policy;
        try (InputStream in = Files.newInputStream(path)) {
            policy = validator.validate(in, path.getFileName().toString());
        } catch (InvalidPolicyException e) {
            e.problems().forEach(p -> System.out.println("  " + p));
            throw new IllegalStateException("INVALID: " + e.problems().size() + " problem(s) in " + path.getFileName());
        }
        PolicyTables.print(policy, System.out);
        System.out.println();
        System.out.println("VALID: " + path.getFileName() + " can be installed");
        return null;
    }
}
