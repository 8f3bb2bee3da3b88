package org.medsettle.probe.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.medsettle.api.health.HealthMonitor;
import org.medsettle.api.health.HealthReport;

/** 200 with {@code "UP"} when every health check is OK, 503 with {@code "DOWN"} otherwise. */
final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<HealthMonitor> monitor;

    HealthServlet(Supplier<HealthMonitor> monitor) {
        this.monitor = monitor;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthMonitor current = monitor.get();
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
