package org.medsettle.support.camel;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The one CamelContext lifecycle of every medsettle bundle that runs routes. Starting: the context is started before
 * routes are added (docs/stack.md, trap 1), the routes are added, then the {@link Front} through which requests come
 * in (Camel's servlet, {@link org.medsettle.support.servlet.ServletFront}) is opened, so that the first request it
 * takes finds its consumer; last the context is registered as a service so that {@code camel:context-list} and
 * {@code camel:route-list} show it (trap 21). Closing goes the other way: the service, then the context (its routes
 * finish the exchanges in flight), then the front. Stream caching is off in every context (docs/stack.md, trap 76).
 */
public final class CamelHost implements AutoCloseable {

    /** What brings requests to the routes from outside the context, opened after them and closed after them. */
    public interface Front {
        void open() throws Exception;

        void close();
    }

    private static final Front NONE = new Front() {
        @Override
        public void open() {
        }

        @Override
        public void close() {
        }
    };

    private final OsgiDefaultCamelContext camel;
    private final Front front;
    private final ServiceRegistration<CamelContext> registration;

    private CamelHost(BundleContext context, String name, RoutesBuilder routes, Front front) throws Exception {
        this.front = front;
        camel = new OsgiDefaultCamelContext(context);
        camel.setName(name);
        // No stream caching (Camel's default since 3.17): a route that takes a body as a stream reads it itself, up
        // to its limit (the HIS adapter, the filing API, the link, the hub); cached, the whole body was read into
        // memory before the route's first step, whatever its size and before any limit or signature was checked
        camel.setStreamCaching(false);
        camel.start();
        routesOnlyStatistics(camel);
        try {
            camel.addRoutes(routes);
            front.open();
        } catch (Exception | LinkageError e) {
            camel.stop();
            throw e;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("camel.context.name", name);
        registration = context.registerService(CamelContext.class, camel, properties);
    }

    /**
     * JMX statistics and MBeans for the context and its routes only — what {@code camel:route-list} and a JMX console
     * show per route — not for every processor of every route: each of those timed every exchange through it
     * (Camel's default, 1–2 % of each instance's CPU samples under load, issue 15). Set before the routes are added,
     * which is when their processors are instrumented.
     */
    static void routesOnlyStatistics(CamelContext camel) {
        org.apache.camel.spi.ManagementStrategy management = camel.getManagementStrategy();
        if (management != null && management.getManagementAgent() != null) {
            management.getManagementAgent().setStatisticsLevel(org.apache.camel.ManagementStatisticsLevel.RoutesOnly);
            management.getManagementAgent().setMBeansLevel(org.apache.camel.ManagementMBeansLevel.RoutesOnly);
        }
    }

    /** A context named {@code name} running {@code routes}. */
    public static CamelHost start(BundleContext context, String name, RoutesBuilder routes) throws Exception {
        return new CamelHost(context, name, routes, NONE);
    }

    /** A context named {@code name} running {@code routes}, which take requests through {@code front}. */
    public static CamelHost start(BundleContext context, String name, RoutesBuilder routes, Front front)
            throws Exception {
        return new CamelHost(context, name, routes, front);
    }

    public CamelContext context() {
        return camel;
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
        camel.stop();
        front.close();
    }
}
