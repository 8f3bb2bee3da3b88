package org.medsettle.treatment.internal.his;

import org.apache.camel.builder.RouteBuilder;
import org.medsettle.api.his.HisEndpoint;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.support.camel.CamelHost;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's transactions as the endpoint every HIS adapter's route ends at ({@link HisEndpoint}): route
 * {@value #ROUTE_ID} in Camel context {@value #CONTEXT} takes the request envelope and the authenticated hospital
 * and answers the response envelope. While this bundle is updated the endpoint has no consumer for a moment and the
 * adapters' producers wait for the new one ({@code block=true&failIfNoConsumers=false}, docs/stack.md trap 50).
 */
@Component(immediate = true)
public class HisTransactionsRoute {

    static final String CONTEXT = "medsettle-his";
    static final String ROUTE_ID = "his-transactions";
    private static final Logger LOG = LoggerFactory.getLogger(HisTransactionsRoute.class);

    private final CamelHost camel;

    @Activate
    public HisTransactionsRoute(BundleContext context, @Reference HisTransactions transactions) throws Exception {
        camel = CamelHost.start(context, CONTEXT, new RouteBuilder() {
            @Override
            public void configure() {
                // no error handler here: what fails goes back to the adapter's route as it is, and the adapter's
                // onException answers it (an exchange "exhausted" by an error handler here would reach the adapter
                // past its onException: a bare HTTP 500)
                from(HisEndpoint.CONSUMER).routeId(ROUTE_ID).errorHandler(noErrorHandler())
                        .process(e -> e.getMessage().setBody(transactions.call(
                                e.getIn().getHeader(HisEndpoint.HOSPITAL_HEADER, String.class),
                                e.getIn().getBody(byte[].class)))).id("transactions");
            }
        });
        LOG.info("The node's transactions take HIS adapters' requests at {}", HisEndpoint.CONSUMER);
    }

    @Deactivate
    void deactivate() {
        camel.close();
    }
}
