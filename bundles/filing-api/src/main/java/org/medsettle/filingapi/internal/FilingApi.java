package org.medsettle.filingapi.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;

import org.apache.camel.spi.ComponentResolver;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.store.Actor;
import org.medsettle.support.camel.CamelHost;
import org.medsettle.support.servlet.ServletFront;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filing API at {@value FilingApiRoutes#BASE}{@code /filings} on the node's HTTP port: Camel's servlet at
 * {@value FilingApiRoutes#BASE} (Pax Web) and the REST DSL routes of {@link FilingApiRoutes} in a Camel context of
 * their own ({@value #CONTEXT}), so that updating this bundle touches neither the filings nor the HIS interface.
 * Its clients and their keys are in the database ({@link ApiClientsService}, {@code medsettle:filing-client-add});
 * {@code etc/org.medsettle.filing.api.cfg} holds only {@code replayWindowSeconds} (default 300): how far a request's
 * timestamp may be from the node's clock. Clients that an earlier version kept in that file
 * ({@code client.<name> = <key>}) are moved into the database at start, and their lines removed from the file.
 */
@Component(immediate = true, configurationPid = FilingApi.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class FilingApi {

    static final String PID = "org.medsettle.filing.api";
    static final String CONTEXT = "medsettle-filing-api";
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(FilingApi.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FilingRegistry filings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile org.medsettle.api.supervision.AssistedAudits audits;

    /** Who this instance is: the national hub takes no filing (published while its settings are valid). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile org.medsettle.api.instance.InstanceIdentity identity;

    private final FilingApiRoutes routes;
    private final CamelHost camel;

    @Activate
    public FilingApi(BundleContext context, @Reference HttpService http, @Reference ApiClientsService clients,
                     @Reference ConfigurationAdmin configurations,
                     @Reference(target = "(component=servlet)") ComponentResolver servletComponent,
                     Map<String, Object> properties) throws Exception {
        this.routes = new FilingApiRoutes("servlet", CONTEXT, () -> filings, () -> audits, clients, Clock.systemUTC(),
                () -> {
                    org.medsettle.api.instance.InstanceIdentity self = identity;
                    return self != null && self.role() == org.medsettle.api.NodeRole.HUB;
                });
        modified(properties);
        moveClientsOutOfTheConfiguration(clients, configurations);
        camel = CamelHost.start(context, CONTEXT, routes, new ServletFront(http, CONTEXT, FilingApiRoutes.BASE));
        LOG.info("Filing API at {}/filings (REST routes; requests signed with a timestamp within {} s and a nonce "
                + "used once)", FilingApiRoutes.BASE, routes.window().toSeconds());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        Object v = properties.get("replayWindowSeconds");
        Duration window = DEFAULT_WINDOW;
        if (v != null && !v.toString().isBlank()) {
            try {
                long seconds = Long.parseLong(v.toString().strip());
                if (seconds < 10 || seconds > 3600) {
                    throw new NumberFormatException();
                }
                window = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                LOG.warn("etc/{}.cfg: replayWindowSeconds = {} is not a number of seconds from 10 to 3600; using {}",
                        PID, v, DEFAULT_WINDOW.toSeconds());
            }
        }
        routes.window(window);
    }

    /** Clients an earlier version kept in the configuration go into the database, and out of the file. */
    private static void moveClientsOutOfTheConfiguration(ApiClientsService clients, ConfigurationAdmin configurations)
            throws IOException {
        Configuration config = configurations.getConfiguration(PID, null);
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            return;
        }
        Dictionary<String, Object> kept = new Hashtable<>();
        int moved = 0;
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            Object value = props.get(key);
            if (key.startsWith("client.") && value != null && !value.toString().isBlank()) {
                String name = key.substring("client.".length());
                try {
                    clients.adopt(name, value.toString().strip(), Actor.file("etc/" + PID + ".cfg"));
                    moved++;
                } catch (IllegalArgumentException e) {
                    LOG.warn("Filing API client {} in etc/{}.cfg not moved: {}", name, PID, e.getMessage());
                    kept.put(key, value);
                }
            } else {
                kept.put(key, value);
            }
        }
        if (moved > 0) {
            config.update(kept);
            LOG.warn("Moved {} filing API client(s) from etc/{}.cfg into the database; their keys are no longer in "
                    + "the file (medsettle:filing-client-list)", moved, PID);
        }
    }

    @Deactivate
    void deactivate() {
        camel.close();
    }
}
