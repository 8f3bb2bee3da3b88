package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.filing.FilingDetails;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.model.Filing;

/** {@code medsettle:filing-show <filing id>}: one filing and what the rules keep beside it. */
@Service
@Command(scope = "medsettle", name = "filing-show", description = "Show a filing")
public class FilingShowCommand extends ConsoleAction {

    @Argument(index = 0, name = "filing id", required = true)
    String id;

    @Reference(optional = true)
    FilingRegistry filings;

    @Override
    protected Object run() {
        Services.require(filings, FilingAddCommand.FILINGS);
        FilingDetails d = filings.details(id.strip()).orElseThrow(() -> new IllegalArgumentException("no filing " + id));
        Filing f = d.filing();
        ShellTable table = new ShellTable().noHeaders();
        table.column("What");
        table.column("Value");
        table.addRow().addContent("filing id", f.filingId());
        table.addRow().addContent("psn_no", f.psnNo());
        table.addRow().addContent("category", f.category() + (f.category().longTerm() ? " (long-term)" : " (temporary)"));
        table.addRow().addContent("treatment", f.treatmentPlace());
        table.addRow().addContent("valid", f.validFrom() + " to " + f.validTo().map(Object::toString).orElse("until changed"));
        table.addRow().addContent("state today", f.stateOn(BusinessClock.today()));
        table.addRow().addContent("evidence", shown(d.evidence()));
        table.addRow().addContent("receiving hospital", shown(d.receivingHospital()));
        table.addRow().addContent("superseded by", d.supersededBy().orElse(""));
        table.print(System.out);
        return null;
    }
}
