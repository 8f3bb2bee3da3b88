package org.medsettle.probe.internal;

import javax.servlet.ServletException;

import org.medsettle.probe.internal.PlaceholderServlet.Answer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.HttpService;
import org.osgi.service.http.NamespaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What answers under {@value #ALIAS} whenever the servlet of a longer path is not there: while the instance starts
 * (Jetty listens before the bundles register their servlets) and while the bundle of that path is updated or
 * restarted. Jetty answered its own HTML page, HTTP 404 — which the filing API documents as "no such filing": an
 * agency's system asking for a filing in that moment was told it does not exist. Now:
 * <ul>
 *   <li>{@code /medsettle/api…} (the filing API): HTTP 503, {@code Retry-After: 1}, the API's own refusal
 *       {@code {"error":"the node's filing API is not running …","field":""}} — nothing was done (no request reaches
 *       the filings but through the API's routes), so the same request may be sent again;</li>
 *   <li>{@code /medsettle/link…} (the link between instances): HTTP 503, {@code Retry-After: 1}, without the link's
 *       {@code X-Medsettle-From} header — what the sending instance already reads as "no link endpoint there for a
 *       moment, nothing was done" and sends again, as it did Jetty's 404;</li>
 *   <li>{@code /medsettle/metrics…}: HTTP 503, {@code Retry-After: 1} (the scrape fails for that moment, as
 *       before);</li>
 *   <li>any other path under {@code /medsettle}: HTTP 404 with a JSON refusal naming the paths there are.</li>
 * </ul>
 * {@code /medsettle/health} is this bundle's own servlet. The bundle is not swapped with the others.
 */
@Component(immediate = true)
public class MedsettleUnavailableEndpoint {

    static final String ALIAS = "/medsettle";

    private static final Logger LOG = LoggerFactory.getLogger(MedsettleUnavailableEndpoint.class);

    static final Answer FILING_API = new Answer(503, true, "application/json;charset=UTF-8",
            "{\"error\":\"the node's filing API is not running (the node is starting, or the filing API is being "
                    + "updated): nothing was done; send the same request again in a moment\",\"field\":\"\"}");
    static final Answer LINK = new Answer(503, true, "application/json",
            "{\"ok\":false,\"refused\":\"the link of this instance is not running (it is starting, or the link is "
                    + "being updated): nothing was done, send the message again\"}");
    static final Answer METRICS = new Answer(503, true, "text/plain;charset=UTF-8",
            "# the metrics endpoint is not running (the instance is starting, or the metrics bundle is being "
                    + "updated); scrape again\n");
    static final Answer NO_SUCH_PATH = new Answer(404, false, "application/json;charset=UTF-8",
            "{\"error\":\"no such path: under /medsettle there are the filing API (/medsettle/api/filings, "
                    + "/medsettle/api/assisted-audits), /medsettle/health and /medsettle/metrics\",\"field\":\"\"}");

    private final HttpService http;

    @Activate
    public MedsettleUnavailableEndpoint(@Reference HttpService http) throws ServletException, NamespaceException {
        this.http = http;
        http.registerServlet(ALIAS, new PlaceholderServlet(MedsettleUnavailableEndpoint::answerFor),
                PlaceholderServlet.named("medsettle-placeholder"), null);
        LOG.info("Placeholder at {}: 503 and Retry-After for the filing API, the link or the metrics while they are "
                + "not registered (starting, updated), 404 as JSON for any other path", ALIAS);
    }

    @Deactivate
    void deactivate() {
        try {
            http.unregister(ALIAS);
        } catch (IllegalArgumentException alreadyGone) {
            LOG.debug("the /medsettle placeholder was already unregistered");
        }
    }

    /**
     * The answer to a request for {@code path}, the part of the request's path after {@value #ALIAS} ({@code null}
     * or empty for the alias itself).
     */
    static Answer answerFor(String path) {
        if (under(path, "/api")) {
            return FILING_API;
        }
        if (under(path, "/link")) {
            return LINK;
        }
        if (under(path, "/metrics")) {
            return METRICS;
        }
        return NO_SUCH_PATH;
    }

    /** Whether {@code path} is {@code prefix} or below it ({@code /apix} is not below {@code /api}). */
    private static boolean under(String path, String prefix) {
        return path != null && path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
