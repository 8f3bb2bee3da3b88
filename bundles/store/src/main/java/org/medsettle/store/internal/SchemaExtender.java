package org.medsettle.store.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.store.Database;
import org.medsettle.api.store.SchemaReady;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender of bundles that ship their own schema (header {@link SchemaReady#HEADER}, like the policy extender
 * reads {@code policies/}): when such a bundle starts, its migrations are applied after the store's base schema
 * ({@link SchemaMigrator} with the bundle as owner) and {@link SchemaReady} is registered for it; when it stops, the
 * service goes. A bundle whose migrations fail gets no {@link SchemaReady} — its components wait — and health check
 * {@code schemas} FAILs naming it. An updated bundle with new migrations gets them at its start.
 */
@Component(immediate = true, service = HealthCheck.class)
public class SchemaExtender implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaExtender.class);

    private record Ready(String owner, int version) implements SchemaReady {
    }

    private final BundleContext context;
    private final DataSource dataSource;
    private final BundleTracker<ServiceRegistration<SchemaReady>> tracker;
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    /** @param base the store, present once the base schema is in place: owners' migrations come after it */
    @Activate
    public SchemaExtender(BundleContext context,
                          @Reference(name = "DataSource", target = "(osgi.jndi.service.name=medsettle)") DataSource dataSource,
                          @Reference Database base) {
        this.context = context;
        this.dataSource = dataSource;
        this.tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, new BundleTrackerCustomizer<>() {
            @Override
            public ServiceRegistration<SchemaReady> addingBundle(Bundle bundle, BundleEvent event) {
                return migrate(bundle);
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, ServiceRegistration<SchemaReady> ready) {
                // STARTING → ACTIVE: nothing changes
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, ServiceRegistration<SchemaReady> ready) {
                versions.remove(bundle.getSymbolicName());
                try {
                    ready.unregister();
                } catch (IllegalStateException gone) {
                    // unregistered with the store bundle already
                }
            }
        });
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    /** Applies a bundle's own migrations; the registration of its {@link SchemaReady}, or null if it has none. */
    ServiceRegistration<SchemaReady> migrate(Bundle bundle) {
        String folder = bundle.getHeaders().get(SchemaReady.HEADER);
        if (folder == null || folder.isBlank()) {
            return null;
        }
        String owner = bundle.getSymbolicName();
        try {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                throw new IllegalStateException("the bundle is not resolved");
            }
            int version = SchemaMigrator.migrateOwn(dataSource, wiring.getClassLoader(), folder.strip(), owner);
            failures.remove(owner);
            versions.put(owner, version);
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(SchemaReady.OWNER, owner);
            properties.put(SchemaReady.VERSION, version);
            LOG.info("Schema of {} at version {} (its migrations in {})", owner, version, folder);
            return context.registerService(SchemaReady.class, new Ready(owner, version), properties);
        } catch (RuntimeException e) {
            failures.put(owner, e.getMessage());
            LOG.error("The schema of {} could not be brought to what it ships ({}); its services wait: {}", owner,
                    folder, e.getMessage());
            return null;
        }
    }

    @Override
    public String name() {
        return "schemas";
    }

    /** FAIL when a bundle's own migrations failed (named with the reason); OK lists every owner's version. */
    @Override
    public HealthResult check() {
        if (!failures.isEmpty()) {
            StringBuilder why = new StringBuilder();
            new TreeMap<>(failures).forEach((owner, reason) -> why.append(why.length() == 0 ? "" : "; ")
                    .append(owner).append(": ").append(reason));
            return HealthResult.fail("the schema of a bundle could not be migrated, its services do not run: " + why);
        }
        if (versions.isEmpty()) {
            return HealthResult.ok("no bundle ships a schema of its own");
        }
        StringBuilder list = new StringBuilder();
        new TreeMap<>(versions).forEach((owner, version) -> list.append(list.length() == 0 ? "" : ", ")
                .append(owner).append(" v").append(version));
        return HealthResult.ok(list.toString());
    }
}
