package org.medsettle.hisrest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.api.hospital.HospitalRegistry;

/**
 * The route in a real CamelContext (from {@code direct:} instead of the servlet): its refusals as national envelopes,
 * and its hand-over when the adapter goes — new requests refused at once, those in progress finished.
 */
class HisRestRouteTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> hospitalsCalled = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether the first call is held until the test releases it (the drain test). */
    private volatile boolean holdFirst;

    /** The node's transactions behind the adapter: the first call is held until the test releases it. */
    private final HisTransactions transactions = new HisTransactions() {
        @Override
        public byte[] call(String hospital, byte[] body) {
            hospitalsCalled.add(hospital);
            if (calls.incrementAndGet() == 1 && holdFirst) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "{\"infcode\":\"0\",\"err_msg\":\"\",\"output\":{}}".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] refuse(String infcode, String errMsg) {
            return ("{\"infcode\":\"" + infcode + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    };

    /** Every signature valid: the signature check is not what this test is about (HospitalRegistryServiceTest). */
    private final org.medsettle.support.SignatureCheck signatures = (hospital, body, signature) -> true;

    /** Whether the instance is the national hub. */
    private volatile boolean hub;

    private final HisRestRoute route = new HisRestRoute("direct:his", 1024, () -> transactions, () -> signatures,
            () -> hub);

    @org.junit.jupiter.api.BeforeEach
    void start() throws Exception {
        camel.start();
        // the node's side of the endpoint, as the node bundle runs it
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(org.medsettle.api.his.HisEndpoint.CONSUMER).routeId("his-transactions")
                        .bean(transactions, "call(${header." + org.medsettle.api.his.HisEndpoint.HOSPITAL_HEADER + "}, ${body})");
            }
        });
        camel.addRoutes(route);
    }

    /** Sends a request through the route, as the servlet would, and answers the exchange with its answer. */
    private Exchange send(Exchange request) {
        return camel.createProducerTemplate().send("direct:his", request);
    }

    @AfterEach
    void stop() {
        release.countDown();
        camel.stop();
    }

    private Exchange request() {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader(HisRestRoute.HOSPITAL_HEADER, "H33010000003");
        e.getIn().setHeader(HospitalRegistry.SIGNATURE_HEADER, "00");
        e.getIn().setBody(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
        return e;
    }

    private static String body(Exchange e) {
        return new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
    }

    @Test
    void atTheNationalHubEveryRequestIsAnswered404WithWhereAHisSendsInsteadAndNothingReachesTheTransactions() {
        hub = true;
        Exchange signed = request();
        send(signed);
        assertEquals(404, signed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertTrue(body(signed).contains("\"infcode\":\"-2\"") && body(signed).contains("national hub")
                && body(signed).contains("the node of the province it is in"), body(signed));
        Exchange unsigned = request();
        unsigned.getIn().removeHeader(HospitalRegistry.SIGNATURE_HEADER);
        send(unsigned);
        assertEquals(404, unsigned.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), "before any signature check");
        assertEquals(0, calls.get());

        hub = false;
        Exchange atNode = request();
        send(atNode);
        assertEquals(200, atNode.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), body(atNode));
        assertEquals(1, calls.get());
    }

    @Test
    void closingRefusesNewRequestsAtOnceAndWaitsForThoseInProgress() throws Exception {
        holdFirst = true;
        Exchange first = request();
        CompletableFuture<Void> inProgress = CompletableFuture.runAsync(() -> {
            try {
                send(first);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
            try {
                return route.close(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // until the request in progress ends, the adapter does not finish closing ...
        assertFalse(route.close(Duration.ofMillis(50)), "one request still in progress");
        // ... and a new request is answered at once: 503, -1, repeat the same msgid
        Exchange late = request();
        send(late);
        assertEquals(503, late.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("1", late.getMessage().getHeader("Retry-After"));
        assertTrue(body(late).contains("\"infcode\":\"-1\"") && body(late).contains("same msgid"), body(late));
        assertEquals(1, calls.get(), "the late request did not reach the transactions");

        release.countDown();
        inProgress.get(10, TimeUnit.SECONDS);
        assertTrue(closed.get(10, TimeUnit.SECONDS), "closed once the request in progress was answered");
        assertEquals(200, first.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertTrue(body(first).contains("\"infcode\":\"0\""), "the request in progress got its answer");
        assertEquals(0, route.inProgress());
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithTheNationalEnvelopeBeforeTheTransactions() {
        Exchange big = request();
        big.getIn().setBody(new ByteArrayInputStream(new byte[2048]));
        send(big);
        assertEquals(413, big.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("{\"infcode\":\"-2\"}", body(big));
        assertEquals(0, calls.get());
        assertEquals(0, route.inProgress(), "a refused request is no longer in progress");
    }

    @Test
    void aBodyOverTheLimitIsReadNoFurtherThanTheLimitEvenInAContextThatCachesStreams() {
        assertTrue(camel.isStreamCaching(), "Camel's default since 3.17, as in this test's context");
        // 64 MiB, counted as read: a body cached whole at the route's start would be read to its end
        long size = 64L * 1024 * 1024;
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                return read.getAndIncrement() < size ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long left = size - read.get();
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                read.addAndGet(n);
                return n;
            }
        };
        Exchange big = request();
        big.getIn().setBody(endless);
        send(big);
        assertEquals(413, big.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(0, calls.get());
        assertTrue(read.get() <= 1025, "bytes read of the body: " + read.get() + " (the limit is 1024)");
    }

    @Test
    void aBodyWhoseDeclaredLengthIsOverTheLimitIsRefusedUnread() {
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        Exchange big = request();
        big.getIn().setHeader(Exchange.CONTENT_LENGTH, 1_000_000_000L);
        big.getIn().setBody(new java.io.InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 'x';
            }
        });
        send(big);
        assertEquals(413, big.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(0, read.get());
    }

    @Test
    void aRequestWithoutTheHospitalsSignatureIsRefused() {
        Exchange unsigned = request();
        unsigned.getIn().removeHeader(HospitalRegistry.SIGNATURE_HEADER);
        send(unsigned);
        assertEquals(401, unsigned.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(0, calls.get());
    }

    @Test
    void theHospitalARefusedRequestClaimedIsLoggedCutAndWithoutCharactersATerminalWouldObey() {
        // U+202E as its UTF-8 bytes read as ISO-8859-1, as a header arrives
        assertEquals("H33030000001\u00e2<U+0080>\u00aeX", HisRestRoute.claimed(" H33030000001\u00e2\u0080\u00aeX "));
        assertEquals("H".repeat(40) + "…", HisRestRoute.claimed("H".repeat(500)));
        assertEquals("H33030000001", HisRestRoute.claimed("H33030000001"));
    }

    @Test
    void aFailureBeforeTheTransactionsIsAnsweredSendAgainNeverABare500() {
        Exchange broken = request();
        broken.getIn().setBody(new InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("connection reset");
            }
        });
        send(broken);
        assertEquals(503, broken.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("5", broken.getMessage().getHeader("Retry-After"));
        assertTrue(body(broken).contains("\"infcode\":\"-1\"") && body(broken).contains("same msgid"), body(broken));
        assertEquals(0, route.inProgress());
    }

    @Test
    void theHospitalHandedToTheTransactionsIsTheAuthenticatedOneNeverAHeaderTheClientSent() {
        Exchange forged = request();
        forged.getIn().setHeader(org.medsettle.api.his.HisEndpoint.HOSPITAL_HEADER, "H11000000001");
        send(forged);
        assertEquals(200, forged.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("H33010000003", hospitalsCalled.get(0));
    }

    @Test
    void anIdleAdapterClosesAtOnce() throws Exception {
        assertTrue(route.close(Duration.ZERO));
    }

    @Test
    void whileTheNodesTransactionsAreReplacedARequestWaitsForTheNewOnesInsteadOfBeingRefused() throws Exception {
        // the treatment bundle being updated: its route gone, a new one coming a moment later
        camel.getRouteController().stopRoute("his-transactions");
        camel.removeRoute("his-transactions");
        Exchange waiting = request();
        CompletableFuture<Exchange> answered = CompletableFuture.supplyAsync(() -> send(waiting));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !answered.isDone());
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(org.medsettle.api.his.HisEndpoint.CONSUMER).routeId("his-transactions")
                        .bean(transactions, "call(${header." + org.medsettle.api.his.HisEndpoint.HOSPITAL_HEADER + "}, ${body})");
            }
        });
        Exchange done = answered.get(5, TimeUnit.SECONDS);
        assertEquals(200, done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), body(done));
        assertEquals(1, calls.get(), "answered by the new transactions");
    }
}
