package org.medsettle.filings.internal.http;

import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

import org.medsettle.api.filing.FilingRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the filing API at {@value #ALIAS} on the node's HTTP port. The clients and their keys come from
 * {@code etc/org.medsettle.filing.api.cfg} and change without a restart.
 */
@Component(immediate = true, configurationPid = "org.medsettle.filing.api", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class FilingApi {

    static final String ALIAS = "/medsettle/api/filings";
    private static final Logger LOG = LoggerFactory.getLogger(FilingApi.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FilingRegistry filings;

    private final HttpService http;
    private volatile Map<String, byte[]> clients = Map.of();

    @Activate
    public FilingApi(@Reference HttpService http, Map<String, Object> properties) throws Exception {
        this.http = http;
        modified(properties);
        http.registerServlet(ALIAS, new FilingApiServlet(() -> filings, () -> clients), null, null);
        LOG.info("Filing API at {} ({} client(s))", ALIAS, clients.size());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        Map<String, byte[]> next = new HashMap<>();
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            if (e.getKey().startsWith("client.") && e.getValue() != null && !e.getValue().toString().isBlank()) {
                try {
                    next.put(e.getKey().substring("client.".length()), Base64.getDecoder().decode(e.getValue().toString().strip()));
                } catch (IllegalArgumentException bad) {
                    LOG.warn("Filing API client {} ignored: its key is not base64", e.getKey());
                }
            }
        }
        clients = Map.copyOf(next);
    }

    @Deactivate
    void deactivate() {
        try {
            http.unregister(ALIAS);
        } catch (IllegalArgumentException alreadyGone) {
            LOG.debug("filing API already unregistered");
        }
    }
}
