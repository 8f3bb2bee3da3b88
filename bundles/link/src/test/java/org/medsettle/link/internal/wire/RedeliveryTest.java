package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.medsettle.api.link.LinkUnavailableException;

/** What the link sends again while a receiver is being updated, and what it never sends again. */
class RedeliveryTest {

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (k, v) -> true);
    }

    @Test
    void onlyAnswersThatSayTheMessageWasNotLookedAtCountAsUnprocessed() {
        assertTrue(LinkClient.unprocessed(503, headers(Map.of(Wire.UNPROCESSED_HEADER, List.of("true"),
                "X-Medsettle-From", List.of("630000")))), "a link that is going, or an insured place being updated");
        assertTrue(LinkClient.unprocessed(404, headers(Map.of())), "no link servlet there for a moment (Jetty)");
        assertTrue(LinkClient.unprocessed(503, headers(Map.of())), "Camel's consumer suspended");
        assertFalse(LinkClient.unprocessed(404, headers(Map.of("X-Medsettle-From", List.of("100000")))),
                "the hub's own answer: no node for that province");
        assertFalse(LinkClient.unprocessed(503, headers(Map.of("X-Medsettle-From", List.of("630000")))),
                "a signed 503 without the header: the receiver's own refusal");
        assertFalse(LinkClient.unprocessed(502, headers(Map.of())));
        assertFalse(LinkClient.unprocessed(200, headers(Map.of())));
    }

    @Test
    void anUnprocessedMessageIsSentAgainUntilItIsAnswered() {
        AtomicInteger attempts = new AtomicInteger();
        String answer = LinkClient.redelivered(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw new LinkClient.Unprocessed("the node of 630000 is being updated");
            }
            return "applied";
        }, "the hub", Duration.ofSeconds(10), LinkClient.updateRedelivery());
        assertEquals("applied", answer);
        assertEquals(4, attempts.get());
    }

    @Test
    void anythingElseIsNeverSentAgain() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(LinkUnavailableException.class, () -> LinkClient.redelivered(() -> {
            attempts.incrementAndGet();
            throw new LinkUnavailableException("the hub did not answer within 3000 ms", null);
        }, "the hub", Duration.ofSeconds(10), LinkClient.updateRedelivery()));
        assertEquals(1, attempts.get(), "a time-out may have been looked at: never repeated");
        assertThrows(LinkClient.Refused.class, () -> LinkClient.redelivered(() -> {
            attempts.incrementAndGet();
            throw new LinkClient.Refused("no filing covers the visit");
        }, "the hub", Duration.ofSeconds(10), LinkClient.updateRedelivery()));
        assertEquals(2, attempts.get());
    }

    @Test
    void theRepeatsStopAtTheGraceWithTheReceiversReason() {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        LinkUnavailableException e = assertThrows(LinkUnavailableException.class, () -> LinkClient.redelivered(() -> {
            attempts.incrementAndGet();
            throw new LinkClient.Unprocessed("the node of 630000 did not take the message now");
        }, "the hub", Duration.ofMillis(400), LinkClient.updateRedelivery()));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().startsWith("the node of 630000 did not take the message now; still so after"),
                e.getMessage());
        assertTrue(attempts.get() >= 3, "25, 50, 100, 200 ms apart: " + attempts.get());
        assertTrue(tookMillis < 2000, "bounded by the grace: " + tookMillis + " ms");
    }
}
