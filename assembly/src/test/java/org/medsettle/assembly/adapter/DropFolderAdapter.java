package org.medsettle.assembly.adapter;

import java.nio.file.Path;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.medsettle.api.his.HisEndpoint;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A third HIS adapter, written the way README "Writing another adapter" says and packed into a bundle by the test
 * that installs it (CrossProvinceProcessIT): a route over a drop folder — {@code in/<name>.json} taken, the answer
 * written to {@code out/<name>.json} — that ends at the node's transactions endpoint. It trusts the folder: the
 * hospital is the one its manifest names ({@code Adapter-Hospital}), the folder is {@code Adapter-Directory}. Not a
 * product adapter (it checks no signature); it proves that an adapter needs nothing but Camel core and the api.
 */
public class DropFolderAdapter implements BundleActivator {

    private OsgiDefaultCamelContext camel;

    @Override
    public void start(BundleContext context) throws Exception {
        Path directory = Path.of(context.getBundle().getHeaders().get("Adapter-Directory"));
        String hospital = context.getBundle().getHeaders().get("Adapter-Hospital");
        camel = new OsgiDefaultCamelContext(context);
        camel.setName("test-drop-folder-adapter");
        camel.start();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + directory.resolve("in") + "?include=.*\\.json&move=../done/${file:onlyname}"
                        + "&readLock=rename&delay=100")
                        .routeId("test-drop-folder")
                        .convertBodyTo(byte[].class)
                        .removeHeader(HisEndpoint.HOSPITAL_HEADER)
                        .setHeader(HisEndpoint.HOSPITAL_HEADER, constant(hospital))
                        .to(HisEndpoint.URI)
                        .to("file:" + directory.resolve("out") + "?tempFileName=${file:onlyname}.part");
            }
        });
        // shown by camel:context-list and camel:route-list, like the shipped adapters' contexts (docs/stack.md, trap 21)
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put("camel.context.name", camel.getName());
        context.registerService(org.apache.camel.CamelContext.class, camel, properties);
    }

    @Override
    public void stop(BundleContext context) {
        if (camel != null) {
            camel.stop();
        }
    }
}
