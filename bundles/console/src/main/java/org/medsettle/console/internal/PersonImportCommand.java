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
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.store.Actor;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.medsettle.api.person.PersonImportResult;
import org.medsettle.api.person.PersonRegistry;

/** {@code medsettle:person-import <file>}: the core system's person extract, all or nothing. */
@Service
@Command(scope = "medsettle", name = "person-import", description = "Import a person extract (CSV) of this province (administrators)")
public class PersonImportCommand extends ConsoleAction {

    static final String PERSONS = "the person registry (feature medsettle-persons)";

    @Argument(index = 0, name = "file", required = true, description = "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name")
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    PersonRegistry persons;

    @Override
    protected Object run() throws IOException {
        Services.require(persons, PERSONS);
        Path path = InputFiles.existing(file);
        String user = ShellUtil.getCurrentUserName();
        PersonImportResult result;
        try (InputStream in = Files.newInputStream(path)) {
            CatalogueImportCommand.ProgressBar bar = new CatalogueImportCommand.ProgressBar(System.out, Math.max(1, Files.size(path) / 90));
            result = persons.importCsv(in, path.getFileName().toString(), Actor.console(user), bar::lines);
            bar.done();
        }
        if (!result.accepted()) {
            throw InputFiles.refused(result.problems(), path);
        }
        System.out.println("Imported " + result.lines() + " persons: " + result.added() + " added, " + result.updated() + " updated ("
                + result.took().toMillis() + " ms); " + persons.count() + " in the registry");
        return null;
    }
}
