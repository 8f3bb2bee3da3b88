package org.medsettle.console.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.store.Actor;
import org.medsettle.api.catalogue.CatalogueAdmin;
import org.medsettle.api.catalogue.CatalogueActivation;

/** {@code medsettle:catalogue-activate <version>}: make an earlier catalogue version active again. */
@Service
@Command(scope = "medsettle", name = "catalogue-activate", description = "Make an imported catalogue version active again (administrators)")
public class CatalogueActivateCommand extends ConsoleAction {

    @Argument(index = 0, name = "version", required = true, description = "the version number, e.g. 3 or v3")
    String version;

    @Reference(optional = true)
    CatalogueAdmin catalogue;

    @Override
    protected Object run() {
        Services.require(catalogue, Services.CATALOGUE);
        long id;
        try {
            id = Long.parseLong(version.startsWith("v") ? version.substring(1) : version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version must be a number such as 3 or v3: '" + version + "'");
        }
        String user = ShellUtil.getCurrentUserName();
        System.out.println(summary(catalogue.reactivate(id, Actor.console(user))));
        return null;
    }

    /** What the console says: the version now active, what it covers today, a warning when markedly less. */
    static String summary(CatalogueActivation activation) {
        return "Active catalogue: " + activation.version().label() + "; " + activation.coverage()
                + activation.warning().map(w -> System.lineSeparator() + "WARNING: " + w).orElse("");
    }
}
