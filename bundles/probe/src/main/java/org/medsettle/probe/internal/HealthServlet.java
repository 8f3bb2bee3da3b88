package org.medsettle.probe.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.medsettle.api.health.HealthMonitor;
import org.medsettle.api.health.HealthReport;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code GET /medsettle/health} on the node's HTTP port ({@code MEDSETTLE_HTTP_PORT}): 200 when every health
 * check is OK, 503 otherwise, for load balancers and deployment scripts. Registered on the OSGi HTTP whiteboard.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/medsettle/health",
    "osgi.http.whiteboard.servlet.name=medsettle-health"
})
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthMonitor monitor;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthMonitor current = monitor;
        String body;
        int status;
        if (current == null) {
            body = HealthJson.unavailable();
            status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        } else {
            HealthReport report = current.checkAll();
            body = HealthJson.render(report);
            status = report.healthy() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json; charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
