package org.medsettle.console.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.supervision.Supervision;

/** {@code medsettle:supervision-rules}: each supervision rule's mode and settings in force (etc/org.medsettle.supervision.cfg). */
@Service
@Command(scope = "medsettle", name = "supervision-rules", description = "Show the supervision rules in force: each rule's mode (flag, block, off) and settings (etc/org.medsettle.supervision.cfg)")
public class SupervisionRulesCommand extends ConsoleAction {

    @Reference(optional = true)
    Supervision supervision;

    @Override
    protected Object run() {
        Supervision s = Services.require(supervision, SupervisionFlagsCommand.SERVICE);
        ShellTable table = new ShellTable();
        table.column("Rule");
        table.column("Mode");
        table.column("Settings");
        for (Supervision.RuleSetting r : s.rules()) {
            table.addRow().addContent(r.rule().key(), r.mode().name().toLowerCase(Locale.ROOT), r.settings());
        }
        table.print(System.out);
        return null;
    }
}
