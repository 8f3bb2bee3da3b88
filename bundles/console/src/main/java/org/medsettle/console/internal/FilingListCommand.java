package org.medsettle.console.internal;

import java.time.LocalDate;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.model.Filing;
import org.medsettle.api.person.PersonRegistry;

/** {@code medsettle:filing-list <psn_no>}: every filing of a person, in every state, newest first. */
@Service
@Command(scope = "medsettle", name = "filing-list", description = "List a person's filings, newest first (cancelled and superseded ones too)")
public class FilingListCommand extends ConsoleAction {

    @Argument(index = 0, name = "psn_no", required = true, description = "the person")
    String psnNo;

    @Reference(optional = true)
    FilingRegistry filings;

    @Reference(optional = true)
    PersonRegistry persons;

    @Override
    protected Object run() {
        Services.require(filings, FilingAddCommand.FILINGS);
        ShellTable table = new ShellTable();
        table.column("filing id");
        table.column("category");
        table.column("treatment");
        table.column("from");
        table.column("to");
        table.column("state");
        LocalDate today = BusinessClock.today();
        String psn = psnNo.strip();
        List<Filing> list = filings.forPerson(psn);
        if (list.isEmpty() && persons != null && persons.byPsnNo(psn).isEmpty()) {
            // an empty table would read as "no filing" for a number mistyped
            throw new IllegalArgumentException("psn_no: no person " + psn + " is insured at this node "
                    + "(medsettle:person-show finds one by psn_no or ID number)");
        }
        for (Filing f : list) {
            table.addRow().addContent(f.filingId(), f.category(), f.treatmentPlace(), f.validFrom(),
                    f.validTo().map(Object::toString).orElse("until changed"), f.stateOn(today));
        }
        table.print(System.out);
        System.out.println(list.size() + " filing(s) of " + psn);
        return null;
    }
}
