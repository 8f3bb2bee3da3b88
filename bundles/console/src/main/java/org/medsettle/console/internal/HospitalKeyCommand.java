package org.medsettle.console.internal;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.KeyFingerprint;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:hospital-key [--rotate] [--export <file>] <code>}: the fingerprint of the key a hospital's HIS
 * signs its requests with; {@code --export} writes the key itself into a new file (mode 600) for the hospital's HIS
 * vendor, {@code --rotate} replaces it. The key is never printed.
 */
@Service
@Command(scope = "medsettle", name = "hospital-key", description = "Show the fingerprint of a hospital's signing key; write the key into a new file for its HIS vendor, or replace it (administrators)")
public class HospitalKeyCommand extends ConsoleAction {

    @Argument(index = 0, name = "fixmedins_code", required = true, description = "the hospital")
    String code;

    @Option(name = "--rotate", description = "replace the key; the old one stops working at once")
    boolean rotate;

    @Option(name = "--export", description = "a new file on this machine that receives the key (mode 600)")
    String exportTo;

    @Reference(optional = true)
    HospitalRegistry hospitals;

    @Override
    protected Object run() {
        Services.require(hospitals, HospitalImportCommand.HOSPITALS);
        if (exportTo != null) {
            SecretFile.requireNew(exportTo);
        }
        String key = rotate
                ? hospitals.rotateKey(code.strip(), Actor.console(ShellUtil.getCurrentUserName()))
                : hospitals.key(code.strip()).orElseThrow(() -> new IllegalArgumentException("no hospital " + code
                + " on this node (medsettle:hospital-list)"));
        String fingerprint = KeyFingerprint.ofBase64(key);
        if (exportTo != null) {
            Path file = SecretFile.write(exportTo, key);
            System.out.println(code.strip() + (rotate ? " has a new key " : " key ") + fingerprint + ", written to " + file);
        } else {
            System.out.println(code.strip() + (rotate ? " has a new key " : " key ") + fingerprint
                    + (rotate ? "; write it into a file for the HIS vendor with --export <file>" : ""));
        }
        return null;
    }
}
