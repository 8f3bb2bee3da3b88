package org.medsettle.hisrest.internal;

import java.time.Duration;

import org.apache.camel.spi.ComponentResolver;
import org.medsettle.api.NodeRole;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.support.camel.CamelHost;
import org.medsettle.support.servlet.ServletFront;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.HttpService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST HIS adapter: registers Camel's servlet under {@value #ALIAS} on the node's HTTP port and runs the
 * {@code his-rest} route in its own Camel context ({@code medsettle-his-rest}). Stopping or updating this bundle
 * stops only this adapter; the node's transactions behind it are not touched.
 */
@Component(immediate = true, configurationPid = "org.medsettle.his.rest")
@Designate(ocd = HisRestConfig.class)
public class HisRestAdapter {

    static final String ALIAS = "/fsi/api/rsfComIfsService";
    static final String SERVLET_NAME = "medsettle-his-rest";
    private static final Logger LOG = LoggerFactory.getLogger(HisRestAdapter.class);
    /** How long requests in progress may take to finish when the adapter goes (a settlement's own bound is 30 s). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(45);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HisTransactions his;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HospitalRegistry hospitals;

    /** Who this instance is: at the national hub, no HIS request is taken (published while its settings are valid). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile InstanceIdentity identity;

    private final CamelHost camel;
    private final HisRestRoute route;

    @Activate
    public HisRestAdapter(BundleContext context, HisRestConfig config, @Reference HttpService http,
                         @Reference(target = "(component=servlet)") ComponentResolver servletComponent) throws Exception {
        route = new HisRestRoute(ServletFront.endpoint(SERVLET_NAME, "/callService"), config.maxBodyBytes(), () -> his,
                () -> {
                    HospitalRegistry registry = hospitals;
                    return registry == null ? null : registry::verify;
                }, () -> {
                    InstanceIdentity self = identity;
                    return self != null && self.role() == NodeRole.HUB;
                });
        camel = CamelHost.start(context, SERVLET_NAME, route, new ServletFront(http, SERVLET_NAME, ALIAS));
        LOG.info("HIS interface at POST {}/callService (bodies up to {} bytes, signed per hospital)", ALIAS,
                config.maxBodyBytes());
    }

    /**
     * Going (update, stop): new requests get 503 / {@code -1} "repeat the same msgid" at once, those in progress are
     * finished, then the route stops — with nothing in flight, Camel's graceful shutdown (which looks again only
     * after a second) has nothing to wait for, so hospitals see refusals only for the moment of the swap itself.
     */
    @Deactivate
    void deactivate() {
        long t0 = System.nanoTime();
        int busy = route.inProgress();
        try {
            if (!route.close(DRAIN_TIMEOUT)) {
                LOG.warn("HIS adapter stopping: {} requests still in progress after {} s; Camel's shutdown waits for them",
                        route.inProgress(), DRAIN_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("HIS adapter stopping: new requests answered 503 (repeat the msgid); {} in progress finished in {} ms",
                busy, (System.nanoTime() - t0) / 1_000_000);
        camel.close();
    }
}
