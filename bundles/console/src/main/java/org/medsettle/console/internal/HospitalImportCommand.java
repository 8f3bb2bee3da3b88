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
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.medsettle.api.hospital.HospitalImportResult;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.store.Actor;

/** {@code medsettle:hospital-import <file>}: the node's designated hospitals, all or nothing. */
@Service
@Command(scope = "medsettle", name = "hospital-import", description = "Import designated hospitals (CSV) of this province (administrators)")
public class HospitalImportCommand extends ConsoleAction {

    static final String HOSPITALS = "the hospital registry (feature medsettle-hospitals)";

    @Argument(index = 0, name = "file", required = true, description = "fixmedins_code,fixmedins_name,hosp_lv,admdvs")
    @Completion(FileCompleter.class)
    String file;

    @Reference(optional = true)
    HospitalRegistry hospitals;

    @Override
    protected Object run() throws IOException {
        Services.require(hospitals, HOSPITALS);
        Path path = InputFiles.existing(file);
        HospitalImportResult result;
        try (InputStream in = Files.newInputStream(path)) {
            result = hospitals.importCsv(in, path.getFileName().toString(), Actor.console(ShellUtil.getCurrentUserName()));
        }
        if (!result.accepted()) {
            throw InputFiles.refused(result.problems(), path);
        }
        System.out.println("Imported " + result.lines() + " hospitals: " + result.added().size() + " added, "
                + result.updated() + " updated");
        if (!result.added().isEmpty()) {
            System.out.println("New hospitals have signing keys: write each into a file for its HIS vendor with medsettle:hospital-key --export <file> <code>");
        }
        return null;
    }
}
