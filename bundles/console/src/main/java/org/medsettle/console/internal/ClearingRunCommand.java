package org.medsettle.console.internal;

import java.time.YearMonth;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.store.Actor;

/**
 * {@code medsettle:clearing-run <yyyy-MM>} (hub, administrators): starts the monthly clearing of a month that has
 * ended; it goes on in the background ({@code medsettle:clearing-show <yyyy-MM>}). Refused for a month cleared or
 * being cleared, one that has not ended, or one before the last month cleared. Audited.
 */
@Service
@Command(scope = "medsettle", name = "clearing-run", description = "Start the monthly clearing of a month that has ended (the hub; administrators); follow it with clearing-show")
public class ClearingRunCommand extends ConsoleAction {

    static final String HUB = "the clearing at the hub (feature medsettle-clearing, on an instance with MEDSETTLE_ROLE=hub)";

    @Argument(index = 0, name = "month", required = true, description = "the month to clear, yyyy-MM, e.g. 2026-11")
    String month;

    @Reference(optional = true)
    ClearingHub clearing;

    @Override
    protected Object run() {
        Services.require(clearing, HUB);
        ClearingHub.Run run = clearing.start(month(month), Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Clearing " + run.clearingId() + " of " + run.month() + " started with "
                + run.sources().size() + " node(s); it goes on in the background: medsettle:clearing-show "
                + run.month());
        return null;
    }

    static YearMonth month(String text) {
        try {
            return YearMonth.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a month: '" + text + "' (yyyy-MM, e.g. 2026-11)");
        }
    }
}
