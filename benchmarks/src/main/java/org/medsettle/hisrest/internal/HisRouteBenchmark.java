package org.medsettle.hisrest.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.medsettle.api.his.HisEndpoint;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.hospital.HospitalRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the HIS adapter's route costs per request, apart from the transactions behind it (issue 11's renovation):
 * the route as shipped — admit, body-limit, authenticate, {@code to(direct-vm:medsettle-his)}, the node's route,
 * answer — against one processor doing the same work and calling the transactions directly (the route as it was).
 * The transactions answer a fixed envelope and every signature is valid, so only Camel's share is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HisRouteBenchmark {

    private static final byte[] REQUEST = ("{\"infno\":\"2304\",\"msgid\":\"H330100000032026120110000000001\","
            + "\"input\":{\"mdtrt_id\":\"X\"}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANSWER = "{\"infcode\":\"0\",\"err_msg\":\"\",\"output\":{}}".getBytes(StandardCharsets.UTF_8);

    private final HisTransactions transactions = new HisTransactions() {
        @Override
        public byte[] call(String hospital, byte[] body) {
            return ANSWER;
        }

        @Override
        public byte[] refuse(String infcode, String errMsg) {
            return ANSWER;
        }
    };

    /** Every signature valid: only Camel's share is measured. */
    private final org.medsettle.support.SignatureCheck signatures = (hospital, body, signature) -> true;

    private DefaultCamelContext camel;
    private ProducerTemplate template;

    @Setup
    public void setUp() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(HisEndpoint.CONSUMER).process(e -> e.getMessage().setBody(transactions.call(
                        e.getIn().getHeader(HisEndpoint.HOSPITAL_HEADER, String.class), e.getIn().getBody(byte[].class))));
                from("direct:one-processor").process(e -> {
                    byte[] body = e.getIn().getBody(InputStream.class).readNBytes(1_048_577);
                    signatures.signedBy(e.getIn().getHeader(HisRestRoute.HOSPITAL_HEADER, String.class), body, "00");
                    e.getMessage().removeHeaders("*");
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    e.getMessage().setBody(transactions.call("H33010000003", body));
                });
            }
        });
        camel.addRoutes(new HisRestRoute("direct:his-rest", 1_048_576, () -> transactions, () -> signatures,
                () -> false));
        template = camel.createProducerTemplate();
    }

    @TearDown
    public void tearDown() {
        camel.stop();
    }

    private Exchange request() {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HisRestRoute.HOSPITAL_HEADER, "H33010000003");
        e.getIn().setHeader(HospitalRegistry.SIGNATURE_HEADER, "00");
        e.getIn().setHeader(Exchange.CONTENT_LENGTH, (long) REQUEST.length);
        e.getIn().setHeader("User-Agent", "HIS");
        e.getIn().setHeader("Content-Type", "application/json; charset=UTF-8");
        e.getIn().setBody(new ByteArrayInputStream(REQUEST));
        return e;
    }

    @Benchmark
    public Object routeAsShipped() {
        return template.send("direct:his-rest", request()).getMessage().getBody();
    }

    @Benchmark
    public Object oneProcessorDirectCall() {
        return template.send("direct:one-processor", request()).getMessage().getBody();
    }
}
