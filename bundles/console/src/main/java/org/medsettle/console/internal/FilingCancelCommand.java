package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.model.Filing;
import org.medsettle.api.store.Actor;

/** {@code medsettle:filing-cancel <filing id> --reason ...}: cancels (never deletes) a filing. */
@Service
@Command(scope = "medsettle", name = "filing-cancel", description = "Cancel a filing; it stays, with its history (administrators)")
public class FilingCancelCommand extends ConsoleAction {

    @Argument(index = 0, name = "filing id", required = true)
    String id;

    @Option(name = "--reason", required = true, description = "why; recorded in the history")
    String reason;

    @Option(name = "--moved-back", description = "the person moved back: lets a long-term filing end within 6 months")
    boolean movedBack;

    @Reference(optional = true)
    FilingRegistry filings;

    @Override
    protected Object run() {
        Services.require(filings, FilingAddCommand.FILINGS);
        Filing f = filings.cancel(id.strip(), Actor.console(ShellUtil.getCurrentUserName()), reason, movedBack);
        System.out.println("Cancelled " + f.filingId() + " (" + f.category() + ", treatment in " + f.treatmentPlace() + ")");
        return null;
    }
}
