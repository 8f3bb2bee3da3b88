package org.medsettle.hisrest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ExtendedExchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.SynchronizationAdapter;
import org.medsettle.api.health.FailureLog;
import org.medsettle.api.his.HisEndpoint;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.support.InFlight;
import org.medsettle.support.SignatureCheck;

/**
 * Route {@value #ROUTE_ID}: {@code POST /fsi/api/rsfComIfsService/callService}, in steps —
 * <ol>
 *   <li>{@code admit}: while the adapter goes (update, stop), a new request is answered at once with HTTP 503 and
 *       {@code infcode -1} "nothing was done, send the same msgid again"; otherwise it counts as in progress until
 *       its exchange completes;</li>
 *   <li>{@code node-only}: at the national hub, which has no hospitals and settles nothing, every request is answered
 *       at once with HTTP 404 and {@code infcode -2}, naming where a hospital's HIS sends instead (a log line a
 *       minute tells the hub's operator);</li>
 *   <li>{@code body-limit}: the body is read up to the configured size, never whole beyond it (413, {@code -2});</li>
 *   <li>{@code authenticate}: the signature of the hospital named in {@value #HOSPITAL_HEADER} over the exact bytes
 *       (401, {@code -2});</li>
 *   <li>{@code transactions}: the envelope and the hospital to {@link HisEndpoint#URI}, where the node's
 *       transactions answer (and where every other HIS adapter's route ends too); while the node bundle is being
 *       updated the producer waits for it;</li>
 *   <li>{@code answer}: the response envelope, HTTP 200.</li>
 * </ol>
 * A step refuses by throwing a {@link Refusal}; the route's {@code onException} answers it as the national envelope.
 * Anything else that fails (the hospital registry's database gone, a broken body stream) is answered 503 /
 * {@code -1} "send it again", never a bare 500.
 */
public class HisRestRoute extends RouteBuilder {

    static final String ROUTE_ID = "his-rest";
    static final String HOSPITAL_HEADER = "X-Medsettle-Hospital";
    private static final String BODY = "medsettle.his.body";

    /** A request refused before the node's transactions: the HTTP status and the national envelope to answer. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient byte[] envelope;
        final String retryAfter;

        Refusal(int status, byte[] envelope, String retryAfter) {
            super("HTTP " + status, null, false, false);
            this.status = status;
            this.envelope = envelope;
            this.retryAfter = retryAfter;
        }
    }

    private final String from;
    private final int maxBodyBytes;
    private final Supplier<HisTransactions> his;
    private final Supplier<SignatureCheck> signatures;
    private final java.util.function.BooleanSupplier atHub;
    private final InFlight inFlight = new InFlight();
    private final FailureLog failures = new FailureLog((line, cause) -> log.error(line, cause), Duration.ofMinutes(1),
            Clock.systemUTC());

    /**
     * @param from the endpoint the requests come from (the servlet; {@code direct:} in tests)
     * @param atHub whether this instance is the national hub, where no hospital is served
     */
    public HisRestRoute(String from, int maxBodyBytes, Supplier<HisTransactions> his,
                        Supplier<SignatureCheck> signatures, java.util.function.BooleanSupplier atHub) {
        this.from = from;
        this.maxBodyBytes = maxBodyBytes;
        this.his = his;
        this.signatures = signatures;
        this.atHub = atHub;
    }

    @Override
    public void configure() {
        onException(Refusal.class).handled(true).process(e -> {
            Refusal r = e.getProperty(Exchange.EXCEPTION_CAUGHT, Refusal.class);
            answer(e, r.status, r.envelope);
            if (r.retryAfter != null) {
                e.getMessage().setHeader("Retry-After", r.retryAfter);
            }
        });
        onException(Exception.class).handled(true).process(e -> {
            Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            failures.report(cause.getClass().getName(), "HIS requests fail before the transactions: "
                    + cause.getMessage() + " (medsettle:health names the cause)", cause instanceof IOException ? null : cause);
            answer(e, 503, fallback("-1", "the node cannot take requests at the moment: nothing was done; send the "
                    + "same request (same msgid) again in a few minutes"));
            e.getMessage().setHeader("Retry-After", "5");
        });
        // the body is read by body-limit, at most the limit: never cached whole before (Camel caches a stream body
        // at a route's start by default since 3.17)
        from(from).routeId(ROUTE_ID).noStreamCaching()
                .process(this::admit).id("admit")
                .process(this::nodeOnly).id("node-only")
                .process(this::readBody).id("body-limit")
                .process(this::authenticate).id("authenticate")
                .to(HisEndpoint.URI).id("transactions")
                .process(e -> answer(e, 200, e.getMessage().getBody(byte[].class))).id("answer");
    }

    void admit(Exchange exchange) {
        // only this route says which hospital is authenticated: never a header the client sent
        exchange.getIn().removeHeader(HisEndpoint.HOSPITAL_HEADER);
        if (!inFlight.enter()) {
            throw new Refusal(503, fallback("-1", "the HIS adapter is being updated: nothing was done; send the same "
                    + "request (same msgid) again in a moment"), "1");
        }
        exchange.adapt(ExtendedExchange.class).addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                inFlight.exit();
            }
        });
    }

    void nodeOnly(Exchange exchange) {
        if (atHub.getAsBoolean()) {
            failures.report("at-hub", "HIS request refused: this instance is the national hub, and a HIS sent to it "
                    + "(claimed hospital " + Optional.ofNullable(exchange.getIn().getHeader(HOSPITAL_HEADER, String.class))
                    .map(HisRestRoute::claimed).orElse("none") + "); hospitals send to their province's node", null);
            throw new Refusal(404, fallback("-2", AT_HUB), null);
        }
    }

    /** What a HIS that sends to the hub is told. */
    static final String AT_HUB = "this is the national hub, not a province's node: it serves no hospital and settles "
            + "nothing. A hospital's HIS sends its requests to the node of the province it is in (its HTTP port, the "
            + "same path); nothing was done";

    void readBody(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        Long length = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (length != null && length > maxBodyBytes) {
            throw new Refusal(413, transactions().refuse("-2", "the request body has " + length + " bytes, more than "
                    + "the " + maxBodyBytes + " this node accepts"), null);
        }
        byte[] body;
        try (InputStream stream = in.getBody(InputStream.class)) {
            body = stream == null ? new byte[0] : stream.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            throw new Refusal(413, transactions().refuse("-2", "the request body is larger than the " + maxBodyBytes
                    + " bytes this node accepts"), null);
        }
        exchange.setProperty(BODY, body);
    }

    void authenticate(Exchange exchange) {
        Message in = exchange.getIn();
        SignatureCheck registry = signatures.get();
        if (registry == null) {
            throw notRunning();
        }
        String hospital = in.getHeader(HOSPITAL_HEADER, String.class);
        String signature = in.getHeader(HospitalRegistry.SIGNATURE_HEADER, String.class);
        byte[] body = exchange.getProperty(BODY, byte[].class);
        if (hospital == null || signature == null || !registry.signedBy(hospital.strip(), body, signature)) {
            failures.report("unsigned", "HIS request refused: not signed by a registered hospital (claimed "
                    + (hospital == null ? "none" : claimed(hospital)) + ")", null);
            throw new Refusal(401, transactions().refuse("-2", "the request is not signed by a registered hospital: "
                    + "send " + HOSPITAL_HEADER + " (your fixmedins_code) and " + HospitalRegistry.SIGNATURE_HEADER
                    + " (hex HMAC-SHA256 of the body with your key)"), null);
        }
        in.setHeader(HisEndpoint.HOSPITAL_HEADER, hospital.strip());
        in.setBody(body);
    }

    /**
     * The hospital a refused request named, as the log can show it: cut after 40 characters, and every character that
     * is not plain text (a header's bytes are read as ISO-8859-1) written as its code.
     */
    static String claimed(String header) {
        return org.medsettle.api.PlainText.shownCut(header.strip(), 40);
    }

    private HisTransactions transactions() {
        HisTransactions transactions = his.get();
        if (transactions == null) {
            throw notRunning();
        }
        return transactions;
    }

    private static Refusal notRunning() {
        return new Refusal(503, fallback("-1", "the node's transactions are not running (medsettle:health); nothing "
                + "was done, try again in a moment"), null);
    }

    /**
     * Before this adapter goes (bundle update or stop): new requests are answered at once with HTTP 503 and
     * {@code infcode -1} (nothing done, repeat the same msgid), and the requests in progress are finished. Answers
     * whether they all finished within {@code timeout}.
     */
    boolean close(Duration timeout) throws InterruptedException {
        return inFlight.close(timeout);
    }

    int inProgress() {
        return inFlight.count();
    }

    private static byte[] fallback(String infcode, String message) {
        return ("{\"infcode\":\"" + infcode + "\",\"err_msg\":\"" + message.replace("\"", "'") + "\",\"output\":null}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void answer(Exchange exchange, int status, byte[] envelope) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        out.setBody(envelope);
    }
}
