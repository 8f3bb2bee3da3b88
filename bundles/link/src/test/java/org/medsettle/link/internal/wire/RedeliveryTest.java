package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.camel.util.CaseInsensitiveMap;
import org.junit.jupiter.api.Test;

/**
 * Which answers count as "not looked at, send it again". The redelivery itself runs in Camel's route
 * {@code link-send} and is tested against a real TLS server in {@link LinkTlsTest}.
 */
class RedeliveryTest {

    private static Map<String, Object> headers(Map<String, Object> map) {
        return new CaseInsensitiveMap(map);
    }

    @Test
    void onlyAnswersThatSayTheMessageWasNotLookedAtCountAsUnprocessed() {
        assertTrue(LinkClient.unprocessed(503, headers(Map.of("x-medsettle-unprocessed", "true",
                "X-Medsettle-From", "630000"))), "a link that is going, or an insured place being updated");
        assertTrue(LinkClient.unprocessed(404, headers(Map.of())), "no link servlet there for a moment (Jetty)");
        assertTrue(LinkClient.unprocessed(503, headers(Map.of())), "Camel's consumer suspended");
        assertFalse(LinkClient.unprocessed(404, headers(Map.of("X-Medsettle-From", "100000"))),
                "the hub's own answer: no node for that province");
        assertFalse(LinkClient.unprocessed(503, headers(Map.of("X-Medsettle-From", "630000"))),
                "a 503 of the link itself without the header: the receiver's own refusal");
        assertFalse(LinkClient.unprocessed(502, headers(Map.of())));
        assertFalse(LinkClient.unprocessed(200, headers(Map.of())));
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerIsSentAgainButATimeOutOrARefusedConnectionIsNot() {
        assertTrue(LinkClient.closedUnanswered(new org.apache.http.NoHttpResponseException(
                "127.0.0.1:32955 failed to respond")), "a stale kept-alive connection (a hub instance killed)");
        assertTrue(LinkClient.closedUnanswered(new java.io.IOException("wrapped",
                new org.apache.http.NoHttpResponseException("failed to respond"))));
        assertFalse(LinkClient.closedUnanswered(new java.net.SocketTimeoutException("Read timed out")),
                "a time-out: the other side may still be working on it");
        assertFalse(LinkClient.closedUnanswered(new java.net.ConnectException("Connection refused")));
        assertFalse(LinkClient.closedUnanswered(null));
    }
}
