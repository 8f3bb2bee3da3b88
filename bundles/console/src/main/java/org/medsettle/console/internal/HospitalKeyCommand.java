package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.store.Actor;

/** {@code medsettle:hospital-key <code> [--rotate]}: the key a hospital's HIS signs its requests with. */
@Service
@Command(scope = "medsettle", name = "hospital-key", description = "Show (or replace) a hospital's signing key, for its HIS vendor (administrators)")
public class HospitalKeyCommand implements Action {

    @Argument(index = 0, name = "fixmedins_code", required = true, description = "the hospital")
    String code;

    @Option(name = "--rotate", description = "replace the key; the old one stops working at once")
    boolean rotate;

    @Reference(optional = true)
    HospitalRegistry hospitals;

    @Override
    public Object execute() {
        Services.require(hospitals, HospitalImportCommand.HOSPITALS);
        String key = rotate
                ? hospitals.rotateKey(code.strip(), Actor.console(ShellUtil.getCurrentUserName()))
                : hospitals.key(code.strip()).orElseThrow(() -> new IllegalArgumentException("no hospital " + code
                + " on this node (medsettle:hospital-list)"));
        System.out.println(key);
        return null;
    }
}
