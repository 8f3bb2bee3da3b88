package org.medsettle.probe.internal;

import javax.servlet.ServletException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The national envelope at {@value #ALIAS} whenever no HIS adapter is there to answer: while the node starts (Jetty
 * listens before the adapter's servlet is registered), and while the adapter bundle is updated or restarted — a HIS
 * then got Jetty's own HTML page, HTTP 404, which it cannot read as an answer. The adapter registers
 * {@code /fsi/api/rsfComIfsService}, a longer prefix, which Jetty prefers whenever it is there; this servlet, in a
 * bundle that is not swapped with the adapter, answers everything else under {@code /fsi}: HTTP 503,
 * {@code Retry-After: 1}, {@code infcode -1} "nothing was done; send the same request again" — true, as no request
 * reaches the node's transactions but through the adapter.
 */
@Component(immediate = true)
public class HisUnavailableEndpoint {

    static final String ALIAS = "/fsi";
    static final PlaceholderServlet.Answer ANSWER = new PlaceholderServlet.Answer(503, true,
            "application/json; charset=UTF-8", "{\"infcode\":\"-1\",\"err_msg\":\"the node's HIS interface is not "
            + "running (the node is starting, or its HIS adapter is being updated): nothing was done; send the same "
            + "request (the same msgid) again in a moment\",\"output\":null}");

    private static final Logger LOG = LoggerFactory.getLogger(HisUnavailableEndpoint.class);

    private final HttpService http;

    @Activate
    public HisUnavailableEndpoint(@Reference HttpService http) throws ServletException, NamespaceException {
        this.http = http;
        http.registerServlet(ALIAS, new PlaceholderServlet(path -> ANSWER),
                PlaceholderServlet.named("medsettle-his-placeholder"), null);
        LOG.info("HIS interface placeholder at {}: 503 infcode -1 whenever no HIS adapter is registered", ALIAS);
    }

    @Deactivate
    void deactivate() {
        try {
            http.unregister(ALIAS);
        } catch (IllegalArgumentException alreadyGone) {
            LOG.debug("the HIS placeholder was already unregistered");
        }
    }
}
