package org.medsettle.fileimport.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A CamelContext of this bundle, started before its routes are added (docs/stack.md, trap 1) and registered as a
 * service so that {@code camel:route-list} shows it (trap 21).
 */
final class CamelHost implements AutoCloseable {

    private final OsgiDefaultCamelContext camel;
    private final ServiceRegistration<CamelContext> registration;

    CamelHost(BundleContext context, String name, RoutesBuilder routes) throws Exception {
        camel = new OsgiDefaultCamelContext(context);
        camel.setName(name);
        camel.start();
        camel.addRoutes(routes);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("camel.context.name", name);
        registration = context.registerService(CamelContext.class, camel, properties);
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
        camel.stop();
    }
}
