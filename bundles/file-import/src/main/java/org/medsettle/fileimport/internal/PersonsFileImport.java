package org.medsettle.fileimport.internal;

import java.nio.file.Path;
import java.util.List;

import org.medsettle.api.person.PersonImportResult;
import org.medsettle.api.person.PersonRegistry;
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
 * The province's core system drops its daily person extract into a folder: CamelContext
 * {@code medsettle-persons-file}, route {@value #ROUTE_ID}. Each file is imported all or nothing; problems in the
 * report name lines and fields, never personal data.
 */
@Component(configurationPid = "org.medsettle.persons.file", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PersonsFileConfig.class)
public class PersonsFileImport {

    static final String ROUTE_ID = "persons-file-import";
    static final Actor ACTOR = Actor.file(ROUTE_ID);
    private static final Logger LOG = LoggerFactory.getLogger(PersonsFileImport.class);

    private final CamelHost camel;

    @Activate
    public PersonsFileImport(BundleContext context, PersonsFileConfig config, @Reference PersonRegistry persons) throws Exception {
        Path directory = Path.of(config.directory()).toAbsolutePath().normalize();
        this.camel = CamelHost.start(context, "medsettle-persons-file", new ImportFolderRoute(ROUTE_ID, "Person extract", directory, (in, name) -> {
            PersonImportResult r = persons.importCsv(in, name, ACTOR, lines -> { });
            return r.accepted()
                    ? new ImportFolderRoute.Report(true, r.lines() + " persons: " + r.added() + " added, " + r.updated()
                    + " updated (" + r.took().toMillis() + " ms)", List.of())
                    : new ImportFolderRoute.Report(false, "", r.problems());
        }));
        LOG.info("Person extracts dropped into {} are imported (route {})", directory, ROUTE_ID);
    }

    @Deactivate
    void deactivate() {
        camel.close();
    }
}
