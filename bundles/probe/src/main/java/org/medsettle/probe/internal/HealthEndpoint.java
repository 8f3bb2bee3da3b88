package org.medsettle.probe.internal;

import javax.servlet.ServletException;

import org.medsettle.api.health.HealthMonitor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /medsettle/health} on the node's HTTP port ({@code MEDSETTLE_HTTP_PORT}), registered with the HTTP
 * service directly: Pax Web's whiteboard was seen to drop a servlet registered while its default context was
 * still being configured at first boot (docs/stack.md, trap 19).
 */
@Component(immediate = true)
public class HealthEndpoint {

    static final String ALIAS = "/medsettle/health";

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthMonitor monitor;

    private final HttpService http;

    @Activate
    public HealthEndpoint(@Reference HttpService http) throws ServletException, NamespaceException {
        this.http = http;
        http.registerServlet(ALIAS, new HealthServlet(() -> monitor), null, null);
        LOG.info("Health probe at GET {}", ALIAS);
    }

    @Deactivate
    void deactivate() {
        try {
            http.unregister(ALIAS);
        } catch (IllegalArgumentException alreadyGone) {
            LOG.debug("health probe was already unregistered");
        }
    }
}
