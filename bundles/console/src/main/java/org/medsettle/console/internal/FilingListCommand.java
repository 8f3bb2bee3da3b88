package org.medsettle.console.internal;

import java.time.LocalDate;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.model.Filing;

/** {@code medsettle:filing-list <psn_no>}: every filing of a person, in every state, newest first. */
@Service
@Command(scope = "medsettle", name = "filing-list", description = "List a person's filings, newest first (cancelled and superseded ones too)")
public class FilingListCommand implements Action {

    @Argument(index = 0, name = "psn_no", required = true, description = "the person")
    String psnNo;

    @Reference(optional = true)
    FilingRegistry filings;

    @Override
    public Object execute() {
        Services.require(filings, FilingAddCommand.FILINGS);
        ShellTable table = new ShellTable();
        table.column("filing id");
        table.column("category");
        table.column("treatment");
        table.column("from");
        table.column("to");
        table.column("state");
        LocalDate today = BusinessClock.today();
        for (Filing f : filings.forPerson(psnNo.strip())) {
            table.addRow().addContent(f.filingId(), f.category(), f.treatmentPlace(), f.validFrom(),
                    f.validTo().map(Object::toString).orElse("until changed"), f.stateOn(today));
        }
        table.print(System.out);
        return null;
    }
}
