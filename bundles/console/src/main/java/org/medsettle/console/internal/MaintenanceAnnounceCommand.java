package org.medsettle.console.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:maintenance-announce <from> <until> <reason...>} (administrators, at the province's node): announces
 * through the national hub that this province's node will be down; audited.
 */
@Service
@Command(scope = "medsettle", name = "maintenance-announce", description = "Announce through the national hub that this province's node will be down for maintenance (停机公告), China time yyyy-MM-ddTHH:mm (administrators; audited)")
public class MaintenanceAnnounceCommand extends ConsoleAction {

    @Argument(index = 0, name = "from", required = true, description = "when it goes down, China time, e.g. 2026-12-05T00:00")
    String from;

    @Argument(index = 1, name = "until", required = true, description = "when it is back, China time, e.g. 2026-12-05T04:00")
    String until;

    @Argument(index = 2, name = "reason", required = true, multiValued = true, description = "what the clerks are told, e.g. 系统升级")
    List<String> reason;

    @Reference(optional = true)
    MaintenanceNotices notices;

    @Override
    protected Object run() {
        MaintenanceNotices n = Services.require(notices, MaintenanceListCommand.SERVICE);
        MaintenanceNotices.Window w = n.announce(china("from", from), china("until", until), String.join(" ", reason),
                Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Maintenance window " + w.id() + " of " + w.province() + " announced at the hub: "
                + MaintenanceText.china(w.from()) + " to " + MaintenanceText.china(w.until()) + " (China time), "
                + w.reason() + ". Every node knows it within its pollSeconds; medsettle:maintenance-cancel " + w.id()
                + " cancels it or ends it early");
        return null;
    }

    static Instant china(String name, String text) {
        try {
            return LocalDateTime.parse(text.strip()).atZone(MaintenanceText.CHINA).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": China time as yyyy-MM-ddTHH:mm (e.g. 2026-12-05T00:00), not '"
                    + text + "'");
        }
    }
}
