package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;

class ReplayGuardTest {

    private static Wire.Received message() {
        return Wire.read(Wire.message("m-1", "PERSON_LOOKUP", Admdvs.of("330000"), Admdvs.of("630000"),
                WireJson.object()));
    }

    @Test
    void aMessageIsAcceptedOnceAndItsReplayIsRefused() {
        ReplayGuard guard = new ReplayGuard(Clock.systemUTC());
        Wire.Received m = message();
        assertNull(guard.refusal("330000", m));
        String again = guard.refusal("330000", m);
        assertNotNull(again);
        assertTrue(again.contains("replay"), again);
        assertNull(guard.refusal("330000", message()), "another message has another nonce");
    }

    @Test
    void aMessageFromOutsideTheWindowIsRefusedEvenTheFirstTime() {
        Wire.Received m = message();
        ReplayGuard later = new ReplayGuard(Clock.fixed(Instant.now().plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertTrue(later.refusal("330000", m).contains("s from this instance's clock"));
        ReplayGuard earlier = new ReplayGuard(Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        assertNotNull(earlier.refusal("330000", m), "a message from the future is refused too");
    }

    @Test
    void aMessageWithoutTimeOrNonceIsNotALinkMessage() {
        byte[] old = "{\"msg_id\":\"x\",\"type\":\"PERSON_LOOKUP\",\"from\":\"330000\",\"to\":\"630000\",\"body\":{}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> Wire.read(old));
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static Wire.Received sentAt(Instant sent, int n) {
        return new Wire.Received("m-" + n, "PERSON_LOOKUP", Admdvs.of("330000"), Admdvs.of("630000"),
                WireJson.object(), sent, "nonce-" + n);
    }

    @Test
    void aReplayIsRefusedUntilTheNonceExpiresHoweverManyAreKept() {
        Instant start = Instant.parse("2026-12-04T08:00:00Z");
        MovingClock clock = new MovingClock(start);
        ReplayGuard guard = new ReplayGuard(clock);
        // more than the 200,000 beyond which every message used to scan them all
        int many = 250_000;
        for (int i = 0; i < many; i++) {
            assertNull(guard.refusal("330000", sentAt(start, i)));
        }
        assertEquals(many, guard.size());
        clock.now = start.plus(ReplayGuard.WINDOW).minusSeconds(1);
        assertTrue(guard.refusal("330000", sentAt(start, 7)).contains("nonce seen"), "still within the window");
        assertTrue(guard.refusal("330000", sentAt(start, many - 1)).contains("nonce seen"));
        assertNull(guard.refusal("630000", sentAt(start, 7)), "a nonce is the sender's own");
        clock.now = start.plus(ReplayGuard.KEPT).minusSeconds(1);
        assertTrue(guard.refusal("330000", sentAt(start, 8)).contains("was sent at"),
                "past the window the time refuses it; the nonce is still kept");
        assertEquals(many + 1, guard.size(), "nothing dropped before its expiry");
    }

    @Test
    void expiredNoncesAreDroppedAFewByEachLaterMessageOldestFirst() {
        Instant start = Instant.parse("2026-12-04T08:00:00Z");
        MovingClock clock = new MovingClock(start);
        ReplayGuard guard = new ReplayGuard(clock);
        for (int i = 0; i < 100; i++) {
            assertNull(guard.refusal("330000", sentAt(start, i)));
        }
        Instant later = start.plus(ReplayGuard.KEPT).plusSeconds(1);
        clock.now = later;
        assertNull(guard.refusal("330000", sentAt(later, 1_000)));
        assertEquals(100 - ReplayGuard.DROP_PER_MESSAGE + 1, guard.size(), "one message drops a few, not all");
        int laterMessages = 1;
        while (guard.size() > laterMessages) {
            assertNull(guard.refusal("330000", sentAt(later, 1_000 + laterMessages)));
            laterMessages++;
        }
        assertEquals(7, laterMessages, "the 100 expired ones dropped by the next 7 messages (16 each)");
    }

    @Test
    void aNonceSentAheadHoldsBackThoseAfterItButNothingIsDroppedEarly() {
        Instant start = Instant.parse("2026-12-04T08:00:00Z");
        MovingClock clock = new MovingClock(start);
        ReplayGuard guard = new ReplayGuard(clock);
        // its sender's clock four minutes ahead: kept until four minutes after the others
        assertNull(guard.refusal("330000", sentAt(start.plus(Duration.ofMinutes(4)), 0)));
        for (int i = 1; i <= 10; i++) {
            assertNull(guard.refusal("330000", sentAt(start, i)));
        }
        clock.now = start.plus(ReplayGuard.KEPT).plusSeconds(1);
        assertNull(guard.refusal("330000", sentAt(clock.now, 100)));
        assertEquals(12, guard.size(), "the first still unexpired: none after it dropped yet");
        clock.now = start.plus(ReplayGuard.KEPT).plus(Duration.ofMinutes(4)).plusSeconds(1);
        assertNull(guard.refusal("330000", sentAt(clock.now, 101)));
        assertEquals(2, guard.size(), "then all eleven expired at once; the two later ones kept");
    }

    @Test
    void afterABurstAFewMessagesDropItsNoncesAHundredthOfThoseKeptEach() {
        Instant start = Instant.parse("2026-12-04T08:00:00Z");
        MovingClock clock = new MovingClock(start);
        ReplayGuard guard = new ReplayGuard(clock);
        int burst = 100_000;
        for (int i = 0; i < burst; i++) {
            assertNull(guard.refusal("330000", sentAt(start, i)));
        }
        Instant later = start.plus(ReplayGuard.KEPT).plusSeconds(1);
        clock.now = later;
        assertNull(guard.refusal("330000", sentAt(later, burst)));
        assertEquals(burst - burst / ReplayGuard.DROP_DIVISOR + 1, guard.size(), "a hundredth of 100,000 at once");
        int quiet = 1;
        while (guard.size() > quiet) {
            assertNull(guard.refusal("330000", sentAt(later, burst + quiet)));
            quiet++;
        }
        assertTrue(quiet < 1_000, "the burst's nonces gone after " + quiet + " messages, not 100,000 / 16");
    }
}
