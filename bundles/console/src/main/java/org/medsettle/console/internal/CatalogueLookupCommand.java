package org.medsettle.console.internal;

import java.time.LocalDate;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;

/** {@code medsettle:catalogue-lookup <code> [date]}: the active catalogue's entry for a code on a date. */
@Service
@Command(scope = "medsettle", name = "catalogue-lookup", description = "Look a national code up in the active catalogue on a date (default today)")
public class CatalogueLookupCommand extends ConsoleAction {

    @Argument(index = 0, name = "code", required = true, description = "med_list_codg")
    String code;

    @Argument(index = 1, name = "date", description = "yyyy-MM-dd, default today")
    String date;

    @Reference(optional = true)
    Catalogue catalogue;

    @Override
    protected Object run() {
        if (!CatalogueEntry.CODE.matches(code)) {
            // not "paid in full by the patient": a fee line naming it is refused (-2), and no catalogue holds it
            throw new IllegalArgumentException("code must be " + CatalogueEntry.CODE_DESCRIBED + ", a national list "
                    + "code (med_list_codg) as a fee line names it: '" + Format.echo(code) + "'");
        }
        Services.require(catalogue, Services.CATALOGUE);
        LocalDate on = date == null ? BusinessClock.today() : ConsoleDates.day("date", date);
        CatalogueEntry e = catalogue.lookup(code, on).orElseThrow(() -> new IllegalStateException(code
                + " is not in catalogue " + catalogue.activeVersion() + " on " + on + ": a fee for it is paid in full by the patient"));
        ShellTable table = new ShellTable().noHeaders();
        table.column("What");
        table.column("Value");
        table.addRow().addContent("med_list_codg", e.medListCodg());
        table.addRow().addContent("Name", e.name());
        table.addRow().addContent("Kind", e.kind());
        table.addRow().addContent("Class (chrgitm_lv)", e.chargeClass() + " (" + e.chargeClass().chrgitmLv() + ")");
        table.addRow().addContent("selfpay_prop", PolicyTables.ratio(e.selfpayProp()));
        table.addRow().addContent("Price limit", e.priceLimit().map(p -> p.toPlainString()).orElse("none"));
        table.addRow().addContent("Valid", e.validFrom() + " to " + e.validTo().map(Object::toString).orElse("(open)"));
        table.addRow().addContent("Catalogue", catalogue.activeVersion());
        table.print(System.out);
        return null;
    }
}
