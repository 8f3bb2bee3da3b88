package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:maintenance-cancel <id>} (administrators, at the province's node): cancels a window of this
 * province, or ends it early (the node is back); audited.
 */
@Service
@Command(scope = "medsettle", name = "maintenance-cancel", description = "Cancel a maintenance window of this province, or end it early once the node is back (administrators; audited)")
public class MaintenanceCancelCommand extends ConsoleAction {

    @Argument(index = 0, name = "id", required = true, description = "the window, as maintenance-list shows it")
    String id;

    @Reference(optional = true)
    MaintenanceNotices notices;

    @Override
    protected Object run() {
        MaintenanceNotices n = Services.require(notices, MaintenanceListCommand.SERVICE);
        long window;
        try {
            window = Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("id: a window's number as maintenance-list shows it, not '" + id + "'");
        }
        if (!n.cancel(window, Actor.console(ShellUtil.getCurrentUserName()))) {
            throw new IllegalArgumentException("this province has no maintenance window " + window + " that is not "
                    + "over (medsettle:maintenance-list)");
        }
        System.out.println("Maintenance window " + window + " cancelled (or ended now): the nodes stop refusing "
                + "within their pollSeconds");
        return null;
    }
}
