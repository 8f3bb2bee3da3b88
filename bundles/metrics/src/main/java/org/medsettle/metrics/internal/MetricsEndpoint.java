package org.medsettle.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /medsettle/metrics} on the instance's HTTP port: the registry's scrape in Prometheus's text format, for
 * the addresses {@code allowFrom} of {@code etc/org.medsettle.metrics.cfg} names (default: this machine only); any
 * other address gets 403. Registered with the HTTP service directly, as the health probe (docs/stack.md, trap 19).
 */
@Component(immediate = true, configurationPid = MetricsEndpoint.PID)
public class MetricsEndpoint {

    static final String PID = "org.medsettle.metrics";
    static final String ALIAS = "/medsettle/metrics";
    static final String DEFAULT_ALLOW = "127.0.0.0/8, ::1";
    /** Prometheus's text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HttpService http;
    private final PrometheusMeterRegistry registry;
    private volatile AddressRule allowed = AddressRule.parse(DEFAULT_ALLOW);

    @Activate
    public MetricsEndpoint(@Reference HttpService http, @Reference PrometheusMeterRegistry registry,
                           Map<String, Object> properties) throws ServletException, NamespaceException {
        this.http = http;
        this.registry = registry;
        modified(properties);
        http.registerServlet(ALIAS, new Scrape(), null, null);
        LOG.info("Metrics at GET {} for {}", ALIAS, allowed);
    }

    /** New {@code allowFrom} without a restart; a list that cannot be read leaves the one in force, logged. */
    @Modified
    void modified(Map<String, Object> properties) {
        Object value = properties.get("allowFrom");
        String list = value == null ? DEFAULT_ALLOW : value.toString();
        try {
            AddressRule next = AddressRule.parse(list);
            if (!next.toString().equals(allowed.toString())) {
                LOG.info("Metrics now readable from {}", next);
            }
            allowed = next;
        } catch (IllegalArgumentException e) {
            LOG.warn("etc/{}.cfg: allowFrom = '{}': {}; the metrics stay readable from {} only", PID, list,
                    e.getMessage(), allowed);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            http.unregister(ALIAS);
        } catch (IllegalArgumentException alreadyGone) {
            LOG.debug("metrics endpoint was already unregistered");
        }
    }

    /** 403 for an address not allowed, else 200 with the scrape. */
    final class Scrape extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!allowed.allows(request.getRemoteAddr())) {
                LOG.debug("Metrics refused to {}", request.getRemoteAddr());
                response.sendError(HttpServletResponse.SC_FORBIDDEN, "metrics are readable from the addresses "
                        + "allowFrom of etc/" + PID + ".cfg names");
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(CONTENT_TYPE);
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
