package org.medsettle.link.internal.wire;

import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.InstanceKeys;
import org.medsettle.api.link.Signatures;
import org.osgi.framework.BundleContext;
import org.osgi.service.http.HttpService;
import org.osgi.framework.ServiceRegistration;

/**
 * The HTTP end of the link on an instance (node or hub): a CamelContext named {@code name}, Camel's servlet at
 * {@link Wire#ALIAS} on the instance's HTTP port, the routes, and the context registered for
 * {@code camel:route-list}. Consume {@link #inbound(String)} in a route to receive messages.
 */
public final class WireEndpoint implements AutoCloseable {

    private final HttpService http;
    private final OsgiDefaultCamelContext camel;
    private final ServiceRegistration<CamelContext> registration;

    public WireEndpoint(BundleContext context, HttpService http, String name, RoutesBuilder routes) throws Exception {
        this.http = http;
        camel = new OsgiDefaultCamelContext(context);
        camel.setName(name);
        camel.start();
        Dictionary<String, String> init = new Hashtable<>();
        init.put("servlet-name", name);
        http.registerServlet(Wire.ALIAS, new CamelHttpTransportServlet(), init, null);
        camel.addRoutes(routes);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("camel.context.name", name);
        registration = context.registerService(CamelContext.class, camel, props);
    }

    /** The endpoint URI of the messages posted to {@link Wire#PATH}, for the context named {@code name}. */
    public static String inbound(String name) {
        return "servlet:/v1?servletName=" + name + "&httpMethodRestrict=POST&disableStreamCache=true"
                + "&mapHttpMessageFormUrlEncodedBody=false&muteException=true";
    }

    /** Answers a message: the status, the body, and this instance's signature of the body. */
    public static void reply(Exchange exchange, int status, byte[] body, InstanceKeys keys, Admdvs self) {
        org.apache.camel.Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Signatures.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(keys.sign(body)));
        out.setHeader(Signatures.FROM_HEADER, self.code());
        out.setBody(body);
    }

    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
        camel.stop();
        try {
            http.unregister(Wire.ALIAS);
        } catch (IllegalArgumentException alreadyGone) {
            // the HTTP service dropped it already
        }
    }
}
