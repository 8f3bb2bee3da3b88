package org.medsettle.support.servlet;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.medsettle.support.camel.CamelHost;
import org.osgi.service.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's servlet at {@code alias} on the instance's HTTP port (Pax Web), registered with the {@link HttpService}
 * (docs/stack.md, trap 22) under the servlet name {@code name}: routes consume {@link #endpoint} with the same name.
 */
public final class ServletFront implements CamelHost.Front {

    private static final Logger LOG = LoggerFactory.getLogger(ServletFront.class);

    private final HttpService http;
    private final String name;
    private final String alias;

    public ServletFront(HttpService http, String name, String alias) {
        this.http = http;
        this.name = name;
        this.alias = alias;
    }

    /**
     * The endpoint of POST requests to {@code alias + path} on the servlet named {@code name}: the body is left a
     * stream (read once, with a limit, by the route), form bodies are not parsed (trap 23), and exceptions are not
     * sent to the client. Answers go with their {@code Content-Length} ({@code chunked=false}): every answer here
     * is a body already in memory, and Jetty then writes it with its headers in one system call and one TCP segment,
     * where a chunked answer took two — the headers and body, then the last chunk's 7 bytes — and its reader two
     * reads (issue 15, session 49: every HIS answer, every link answer at the hub and the insured node).
     */
    public static String endpoint(String name, String path) {
        return "servlet:" + path + "?servletName=" + name + "&httpMethodRestrict=POST&disableStreamCache=true"
                + "&mapHttpMessageFormUrlEncodedBody=false&muteException=true&chunked=false";
    }

    @Override
    public void open() throws Exception {
        Dictionary<String, String> init = new Hashtable<>();
        init.put("servlet-name", name);
        if (http instanceof org.ops4j.pax.web.service.WebContainer web) {
            // registered as supporting async requests, though Camel's servlet answers each in the request's thread
            // (no "async" init parameter): Jetty wraps a servlet registered without it and, for every request,
            // formats the wrapper's name (String.format) to mark the request not async — 2.5 % of the hub's CPU
            // samples, about 1 % of a node's (issue 15)
            web.registerServlet(alias, new CamelHttpTransportServlet(), init, null, true, null);
        } else {
            http.registerServlet(alias, new CamelHttpTransportServlet(), init, null);
        }
    }

    @Override
    public void close() {
        try {
            http.unregister(alias);
        } catch (IllegalArgumentException alreadyGone) {
            LOG.debug("The servlet {} at {} was already unregistered", name, alias);
        }
    }
}
