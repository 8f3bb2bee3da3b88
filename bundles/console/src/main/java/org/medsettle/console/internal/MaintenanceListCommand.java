package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.Admdvs;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.maintenance.MaintenanceText;

/**
 * {@code medsettle:maintenance-list [--province p]}: every province's maintenance windows (停机公告) not over, by their
 * start, China time — at a node as the hub last listed them, at the hub its own list.
 */
@Service
@Command(scope = "medsettle", name = "maintenance-list", description = "Maintenance windows (停机公告) of every province that are not over, China time: at a node as the national hub last listed them")
public class MaintenanceListCommand extends ConsoleAction {

    static final String SERVICE = "the maintenance notices (feature medsettle-maintenance on a node, medsettle-hub on the hub)";

    @Option(name = "--province", description = "only this province's (e.g. 630000)")
    String province;

    @Reference(optional = true)
    MaintenanceNotices notices;

    @Override
    protected Object run() {
        MaintenanceNotices n = Services.require(notices, SERVICE);
        Admdvs only = province == null ? null : Admdvs.ofProvince(province);
        List<MaintenanceNotices.Window> windows = n.windows().stream()
                .filter(w -> only == null || w.province().equals(only)).toList();
        Instant now = Instant.now();
        ShellTable table = new ShellTable();
        table.column("id");
        table.column("province");
        table.column("from (China)");
        table.column("until (China)");
        table.column("now");
        table.column("reason");
        table.column("announced by");
        for (MaintenanceNotices.Window w : windows) {
            table.addRow().addContent(w.id(), w.province().code(), MaintenanceText.china(w.from()),
                    MaintenanceText.china(w.until()), w.openAt(now) ? "DOWN" : "upcoming", shown(w.reason()),
                    shown(w.announcedBy()) + " " + MaintenanceText.china(w.announced()));
        }
        table.print(System.out);
        System.out.println(windows.size() + " window(s)" + (only == null ? "" : " of " + only));
        return null;
    }
}
