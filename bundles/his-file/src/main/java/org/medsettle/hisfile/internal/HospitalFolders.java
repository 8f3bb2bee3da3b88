package org.medsettle.hisfile.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.medsettle.api.PlainText;
import org.medsettle.api.health.FailureLog;

/**
 * What the file consumer may look at under the exchange folder: {@code <hospital>/in/} and the files in it, real
 * folders and files only. A hospital reaches its own folder only (an SFTP share), but it can make a symbolic link
 * there whose target the node, not the share, resolves: its {@code in/} pointed at another hospital's would have the
 * node move that hospital's requests (patients' names and certificate numbers) into the linking hospital's
 * {@code done/}, an {@code out/} pointed elsewhere would have the node write answers there. So a folder that is a
 * link is not entered, and a request is not taken while its hospital's {@code out/} or {@code done/} is anything
 * but a real folder; each is logged (once a minute per hospital) for the operator, and nothing is read, written or
 * moved. A request file that is itself a link is taken and refused in-band ({@link HisFileRoute#authenticate}),
 * which moves only the link. {@code out/} and {@code done/} are not walked either: {@code done/} keeps every request
 * ever answered. A file whose name is not a request's ({@link #REQUEST_NAME}) is not taken either.
 */
final class HospitalFolders implements GenericFileFilter<File> {

    /**
     * A request's file name: what the README says, and nothing Camel's file component would read as an expression
     * (a {@code ${} in a name made every poll of the exchange fail, for every hospital).
     */
    static final Pattern REQUEST_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\\.json");

    private final FailureLog refusals;

    HospitalFolders(FailureLog refusals) {
        this.refusals = refusals;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        String[] parts = file.getRelativeFilePath().replace(File.separatorChar, '/').split("/");
        Path path = file.getFile().toPath();
        String hospital = parts[0];
        if (file.isDirectory()) {
            if (parts.length > 2 || parts.length == 2 && !"in".equals(parts[1])) {
                return false;
            }
            if (Files.isSymbolicLink(path)) {
                refuse(hospital, file.getRelativeFilePath() + " is a symbolic link");
                return false;
            }
            return true;
        }
        if (parts.length != 3 || !"in".equals(parts[1])) {
            return false;
        }
        if (!REQUEST_NAME.matcher(parts[2]).matches()) {
            if (parts[2].endsWith(".json")) {
                refuse("names " + hospital, hospital + "/in/" + PlainText.shown(parts[2]) + " is not named as a "
                        + "request is (1 to 100 letters, digits, '.', '_' or '-', then .json)", "its other requests "
                        + "are taken, not this one");
            }
            return false;
        }
        Path hospitalFolder = path.getParent().getParent();
        for (String sub : new String[] {"out", "done"}) {
            Path folder = hospitalFolder.resolve(sub);
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                refuse(hospital, hospital + "/" + sub + (Files.isSymbolicLink(folder) ? " is a symbolic link"
                        : " is not a folder"));
                return false;
            }
        }
        return true;
    }

    private void refuse(String hospital, String what) {
        refuse("folders " + hospital, what, "no request of " + hospital + " is taken until it is a real folder again");
    }

    /** Logged once a minute per {@code kind} (a kind per hospital: what one hospital does hides nothing of another). */
    private void refuse(String kind, String what, String consequence) {
        refusals.report(kind, "HIS file exchange: " + what + "; the node reads, writes and moves "
                + "only requests so named, in real folders under a hospital's folder, so " + consequence
                + " (nothing was read, written or moved)", null);
    }
}
