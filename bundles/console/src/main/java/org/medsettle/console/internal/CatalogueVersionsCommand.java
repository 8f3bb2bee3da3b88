package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.catalogue.CatalogueAdmin;
import org.medsettle.api.catalogue.CatalogueVersionInfo;

/** {@code medsettle:catalogue-versions}: every imported catalogue version, newest first; the active one marked. */
@Service
@Command(scope = "medsettle", name = "catalogue-versions", description = "List the imported catalogue versions")
public class CatalogueVersionsCommand extends ConsoleAction {

    @Reference(optional = true)
    org.medsettle.api.catalogue.HomeCatalogues homeCatalogues;

    @Reference(optional = true)
    CatalogueAdmin catalogue;

    @Override
    protected Object run() {
        Services.require(catalogue, Services.CATALOGUE);
        ShellTable table = new ShellTable();
        table.column("Version").alignRight();
        table.column("Active");
        table.column("Entries").alignRight();
        table.column("Imported");
        table.column("By");
        table.column("Source");
        for (CatalogueVersionInfo v : catalogue.versions()) {
            table.addRow().addContent("v" + v.id(), v.active() ? "*" : "", v.entries(), AuditCommand.TIME.format(v.importedAt()),
                    v.importedBy(), v.source());
        }
        table.print(System.out);
        if (homeCatalogues != null) {
            java.util.List<String> home = homeCatalogues.describe();
            System.out.println("Insured provinces' own catalogues (参保地目录, from their policy bundles, for the 待遇差 "
                    + "estimate): " + (home.isEmpty() ? "none" : ""));
            home.forEach(line -> System.out.println("  " + line));
        }
        return null;
    }
}
