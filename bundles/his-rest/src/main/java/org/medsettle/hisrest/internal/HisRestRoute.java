package org.medsettle.hisrest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.medsettle.api.health.FailureLog;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.hospital.HospitalRegistry;

/**
 * {@code his-rest}: {@code POST /fsi/api/rsfComIfsService/callService}. Before anything is parsed: the body is cut
 * off at the configured size, and the signature of the hospital named in {@value #HOSPITAL_HEADER} is checked over
 * the exact bytes. Then the envelope goes to the node's {@link HisTransactions}, looked up at the moment of use so
 * that the node's transactions can be updated while this listener stays.
 */
public class HisRestRoute extends RouteBuilder {

    static final String ROUTE_ID = "his-rest";
    static final String HOSPITAL_HEADER = "X-Medsettle-Hospital";

    private final String servletName;
    private final int maxBodyBytes;
    private final Supplier<HisTransactions> his;
    private final Supplier<HospitalRegistry> hospitals;
    private final FailureLog failures = new FailureLog((line, cause) -> log.error(line, cause),
            java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());

    public HisRestRoute(String servletName, int maxBodyBytes, Supplier<HisTransactions> his,
                        Supplier<HospitalRegistry> hospitals) {
        this.servletName = servletName;
        this.maxBodyBytes = maxBodyBytes;
        this.his = his;
        this.hospitals = hospitals;
    }

    @Override
    public void configure() {
        from("servlet:/callService?servletName=" + servletName + "&httpMethodRestrict=POST&disableStreamCache=true"
                + "&mapHttpMessageFormUrlEncodedBody=false&muteException=true")
                .routeId(ROUTE_ID)
                .process(this::handle);
    }

    /** Requests being handled, for {@link #close}; guarded for waiting by {@link #drained}. */
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean closing;

    void handle(Exchange exchange) throws IOException {
        if (closing) {
            answerClosing(exchange);
            return;
        }
        inProgress.incrementAndGet();
        try {
            if (closing) {
                answerClosing(exchange);
                return;
            }
            handleOpen(exchange);
        } catch (RuntimeException | IOException e) {
            // the hospital registry's database gone, a broken body stream: the national -1 envelope, never a bare 500
            failures.report(e.getClass().getName(), "HIS requests fail before the transactions: " + e.getMessage()
                    + " (medsettle:health names the cause)", e instanceof IOException ? null : e);
            answer(exchange, 503, fallback("-1", "the node cannot take requests at the moment: nothing was done; send "
                    + "the same request (same msgid) again in a few minutes"));
            exchange.getMessage().setHeader("Retry-After", "5");
        } finally {
            if (inProgress.decrementAndGet() == 0 && closing) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }
    }

    /**
     * Before this adapter goes (bundle update or stop): new requests are answered at once with HTTP 503 and
     * {@code infcode -1} (nothing done, repeat the same msgid), and the requests in progress are finished. Answers
     * whether they all finished within {@code timeout}.
     */
    boolean close(Duration timeout) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (inProgress.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        return true;
    }

    int inProgress() {
        return inProgress.get();
    }

    private static void answerClosing(Exchange exchange) {
        answer(exchange, 503, fallback("-1", "the HIS adapter is being updated: nothing was done; send the same "
                + "request (same msgid) again in a moment"));
        exchange.getMessage().setHeader("Retry-After", "1");
    }

    private void handleOpen(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        HisTransactions transactions = his.get();
        HospitalRegistry registry = hospitals.get();
        if (transactions == null || registry == null) {
            answer(exchange, 503, fallback("-1", "the node's transactions are not running (medsettle:health); "
                    + "nothing was done, try again in a moment"));
            return;
        }
        Long length = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (length != null && length > maxBodyBytes) {
            answer(exchange, 413, transactions.refuse("-2", "the request body has " + length + " bytes, more than the "
                    + maxBodyBytes + " this node accepts"));
            return;
        }
        byte[] body;
        try (InputStream stream = in.getBody(InputStream.class)) {
            body = stream == null ? new byte[0] : stream.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            answer(exchange, 413, transactions.refuse("-2", "the request body is larger than the " + maxBodyBytes
                    + " bytes this node accepts"));
            return;
        }
        String hospital = in.getHeader(HOSPITAL_HEADER, String.class);
        String signature = in.getHeader(HospitalRegistry.SIGNATURE_HEADER, String.class);
        if (hospital == null || signature == null || !registry.verify(hospital.strip(), body, signature)) {
            failures.report("unsigned", "HIS request refused: not signed by a registered hospital (claimed "
                    + (hospital == null ? "none" : hospital.strip()) + ")", null);
            answer(exchange, 401, transactions.refuse("-2", "the request is not signed by a registered hospital: send "
                    + HOSPITAL_HEADER + " (your fixmedins_code) and " + HospitalRegistry.SIGNATURE_HEADER
                    + " (hex HMAC-SHA256 of the body with your key)"));
            return;
        }
        answer(exchange, 200, transactions.call(hospital.strip(), body));
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
