package org.medsettle.hisfile.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.support.camel.CamelHost;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-exchange HIS adapter ({@link HisFileRoute}) in its own Camel context ({@value #CONTEXT}); installed and
 * removed at run time ({@code feature:install medsettle-his-file}, {@code feature:uninstall}). At start, and then
 * every {@code folderCheckSeconds}, it makes {@code in/}, {@code out/} and {@code done/} for every hospital registered
 * at the node that has none.
 */
@Component(immediate = true, configurationPid = "org.medsettle.his.file", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HisFileConfig.class)
public class HisFileAdapter {

    static final String CONTEXT = "medsettle-his-file";
    private static final Logger LOG = LoggerFactory.getLogger(HisFileAdapter.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HisTransactions his;

    private final CamelHost camel;

    @Activate
    public HisFileAdapter(BundleContext context, HisFileConfig config, @Reference HospitalRegistry registry)
            throws Exception {
        Path directory = Path.of(config.directory()).toAbsolutePath().normalize();
        Files.createDirectories(directory);
        List<String> codes = registry.all().stream().map(Hospital::code).toList();
        HisFileRoute.makeFolders(directory, codes);
        camel = CamelHost.start(context, CONTEXT, new HisFileRoute(directory, Math.max(50, config.pollMillis()),
                config.maxBodyBytes(), () -> his, registry::verify,
                () -> registry.all().stream().map(Hospital::code).toList(),
                Math.max(1, config.folderCheckSeconds()) * 1000L));
        LOG.info("HIS file exchange at {} ({} hospital folders; <code>/in/<name>.json signed by <name>.sig, answers in "
                + "<code>/out/; folders of hospitals registered later made within {} s)", directory, codes.size(),
                Math.max(1, config.folderCheckSeconds()));
    }

    @Deactivate
    void deactivate() {
        camel.close();
        LOG.info("HIS file exchange stopped");
    }
}
