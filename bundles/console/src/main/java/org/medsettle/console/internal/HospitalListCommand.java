package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.hospital.HospitalRegistry;

/** {@code medsettle:hospital-list}: the designated hospitals of this node. */
@Service
@Command(scope = "medsettle", name = "hospital-list", description = "List the designated hospitals of this node")
public class HospitalListCommand extends ConsoleAction {

    @Reference(optional = true)
    HospitalRegistry hospitals;

    @Override
    protected Object run() {
        Services.require(hospitals, HospitalImportCommand.HOSPITALS);
        ShellTable table = new ShellTable();
        table.column("fixmedins_code");
        table.column("fixmedins_name");
        table.column("hosp_lv");
        table.column("admdvs");
        for (Hospital h : hospitals.all()) {
            table.addRow().addContent(h.code(), shown(h.name()), h.level(), h.admdvs());
        }
        table.print(System.out);
        return null;
    }
}
