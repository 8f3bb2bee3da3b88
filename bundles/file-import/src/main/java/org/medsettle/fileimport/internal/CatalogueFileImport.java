package org.medsettle.fileimport.internal;

import java.nio.file.Path;

import java.util.List;

import org.medsettle.api.catalogue.CatalogueAdmin;
import org.medsettle.api.catalogue.ImportResult;
import org.medsettle.api.store.Actor;
import org.medsettle.support.camel.CamelHost;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the CamelContext {@code medsettle-catalogue-file} (visible to {@code camel:route-list}) running
 * {@link ImportFolderRoute} ({@value #ROUTE_ID}) on the configured folder. The context is started before the route is added
 * (docs/stack.md, trap 1).
 */
@Component(configurationPid = "org.medsettle.catalogue.file", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CatalogueFileConfig.class)
public class CatalogueFileImport {

    static final String ROUTE_ID = "catalogue-file-import";
    static final Actor ACTOR = Actor.file(ROUTE_ID);
    private static final Logger LOG = LoggerFactory.getLogger(CatalogueFileImport.class);

    private final CamelHost camel;

    @Activate
    public CatalogueFileImport(BundleContext context, CatalogueFileConfig config, @Reference CatalogueAdmin catalogue) throws Exception {
        Path directory = Path.of(config.directory()).toAbsolutePath().normalize();
        this.camel = CamelHost.start(context, "medsettle-catalogue-file", new ImportFolderRoute(ROUTE_ID, "Catalogue file", directory, (in, name) -> {
            ImportResult r = catalogue.importCsv(in, name, ACTOR, lines -> { });
            return r.accepted()
                    ? new ImportFolderRoute.Report(true, r.lines() + " entries as " + r.version().orElseThrow().label()
                    + ", now active (" + r.took().toMillis() + " ms); " + r.coverage()
                    + r.warning().map(w -> "; WARNING: " + w).orElse(""), List.of())
                    : new ImportFolderRoute.Report(false, "", r.problems());
        }));
        LOG.info("Catalogue files dropped into {} are imported (route {})", directory, ROUTE_ID);
    }

    @Deactivate
    void deactivate() {
        camel.close();
    }
}
