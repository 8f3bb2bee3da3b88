package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class LinkSessionsTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T08:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final LinkSessions node = new LinkSessions("330000", clock);
    private final LinkSessions hub = new LinkSessions("100000", clock);

    private LinkSessions.Session open() {
        LinkSessions.Hello hello = LinkSessions.hello();
        ObjectNode answer = hub.accept("330000", hello.body());
        return node.complete("http://hub", hello, answer);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bothSidesAgreeOnTheKeySoARequestAndItsAnswerCheck() {
        LinkSessions.Session mine = open();
        LinkSessions.Session theirs = hub.accepted(mine.id()).orElseThrow();
        assertEquals("330000", theirs.peer());
        assertEquals("100000", mine.peer());
        byte[] request = bytes("{\"type\":\"COVERAGE\"}");
        String mac = mine.requestMac(request);
        assertTrue(LinkSessions.checkRequest(theirs, request, mac));
        byte[] answer = bytes("{\"ok\":true}");
        assertTrue(mine.checkAnswer(mac, answer, theirs.answerMac(mac, answer)));
    }

    @Test
    void aChangedBodyAnotherSessionsMacOrAnAnswerToAnotherRequestIsRefused() {
        LinkSessions.Session first = open();
        LinkSessions.Session second = open();
        assertNotEquals(first.id(), second.id());
        LinkSessions.Session atHub = hub.accepted(first.id()).orElseThrow();
        byte[] request = bytes("{\"amount\":\"100.00\"}");
        String mac = first.requestMac(request);
        assertFalse(LinkSessions.checkRequest(atHub, bytes("{\"amount\":\"900.00\"}"), mac));
        assertFalse(LinkSessions.checkRequest(atHub, request, second.requestMac(request)));
        assertFalse(LinkSessions.checkRequest(atHub, request, null));
        byte[] answer = bytes("{\"ok\":true}");
        String otherMac = first.requestMac(bytes("{\"amount\":\"1.00\"}"));
        assertFalse(first.checkAnswer(mac, answer, atHub.answerMac(otherMac, answer)), "an answer is bound to its request");
        assertFalse(first.checkAnswer(mac, answer, ""));
    }

    @Test
    void anAnswerToAnotherHandshakeIsRefused() {
        LinkSessions.Hello mine = LinkSessions.hello();
        LinkSessions.Hello other = LinkSessions.hello();
        ObjectNode answer = hub.accept("330000", other.body());
        assertThrows(IllegalArgumentException.class, () -> node.complete("http://hub", mine, answer));
        assertTrue(node.opened("http://hub").isEmpty());
    }

    @Test
    void aMalformedHandshakeIsRefused() {
        ObjectNode body = LinkSessions.hello().body();
        body.put("eph", "not base64!");
        assertThrows(IllegalArgumentException.class, () -> hub.accept("330000", body));
        ObjectNode noNonce = LinkSessions.hello().body();
        noNonce.remove("nonce");
        assertThrows(IllegalArgumentException.class, () -> hub.accept("330000", noNonce));
        ObjectNode notAKey = LinkSessions.hello().body();
        notAKey.put("eph", java.util.Base64.getEncoder().encodeToString(new byte[44]));
        assertThrows(IllegalArgumentException.class, () -> hub.accept("330000", notAKey));
    }

    @Test
    void sessionsExpireTheSenderRenewsAMinuteBeforeTheReceiverForgets() {
        LinkSessions.Session s = open();
        assertTrue(node.opened("http://hub").isPresent());
        clock.now = clock.now.plus(LinkSessions.LIFETIME).minus(Duration.ofSeconds(30));
        assertTrue(node.opened("http://hub").isEmpty(), "the sender stops using it before it expires");
        assertTrue(hub.accepted(s.id()).isPresent());
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertTrue(hub.accepted(s.id()).isEmpty());
        assertEquals(0, hub.acceptedCount());
    }

    @Test
    void aNodeWhoseKeyChangesLosesItsSessions() {
        LinkSessions.Session s = open();
        hub.forget("330000");
        assertTrue(hub.accepted(s.id()).isEmpty());
        assertTrue(hub.accepted(null).isEmpty());
        assertTrue(hub.accepted("made-up").isEmpty());
    }
}
