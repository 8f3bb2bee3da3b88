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
import java.util.concurrent.atomic.AtomicReference;

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

    private static final Instant START = Instant.parse("2026-12-04T08:00:00Z");

    /** A clock the test moves; its zones share one time. */
    private static final class MovingClock extends Clock {
        private final AtomicReference<Instant> now;
        private final ZoneId zone;

        MovingClock(Instant now) {
            this(new AtomicReference<>(now), ZoneOffset.UTC);
        }

        private MovingClock(AtomicReference<Instant> now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new MovingClock(now, other);
        }
    }

    private static Wire.Received sentAt(Instant sent, int n) {
        return new Wire.Received("m-" + n, "PERSON_LOOKUP", Admdvs.of("330000"), Admdvs.of("630000"),
                WireJson.object(), sent, "nonce-" + n);
    }

    /** Messages {@code from} … {@code to - 1} sent at {@code sent}, each accepted. */
    private static void accept(ReplayGuard guard, Instant sent, int from, int to) {
        for (int i = from; i < to; i++) {
            assertNull(guard.refusal("330000", sentAt(sent, i)), "message " + i);
        }
    }

    /**
     * New messages sent at {@code sent} (numbered from {@code first}) until the guard keeps only theirs: how many it
     * took, the one sent before included.
     */
    private static int messagesUntilOnlyTheirsAreKept(ReplayGuard guard, Instant sent, int first) {
        int messages = 1;
        while (guard.size() > messages) {
            accept(guard, sent, first + messages, first + messages + 1);
            messages++;
        }
        return messages;
    }

    @Test
    void aReplayIsRefusedUntilTheNonceExpiresHoweverManyAreKept() {
        MovingClock clock = new MovingClock(START);
        ReplayGuard guard = new ReplayGuard(clock);
        // more than the 200,000 beyond which every message used to scan them all
        int many = 250_000;
        accept(guard, START, 0, many);
        assertEquals(many, guard.size());
        clock.set(START.plus(ReplayGuard.WINDOW).minusSeconds(1));
        assertTrue(guard.refusal("330000", sentAt(START, 7)).contains("nonce seen"), "still within the window");
        assertTrue(guard.refusal("330000", sentAt(START, many - 1)).contains("nonce seen"));
        assertNull(guard.refusal("630000", sentAt(START, 7)), "a nonce is the sender's own");
        clock.set(START.plus(ReplayGuard.KEPT).minusSeconds(1));
        assertTrue(guard.refusal("330000", sentAt(START, 8)).contains("was sent at"),
                "past the window the time refuses it; the nonce is still kept");
        assertEquals(many + 1, guard.size(), "nothing dropped before its expiry");
    }

    @Test
    void expiredNoncesAreDroppedAFewByEachLaterMessageOldestFirst() {
        MovingClock clock = new MovingClock(START);
        ReplayGuard guard = new ReplayGuard(clock);
        accept(guard, START, 0, 100);
        Instant later = START.plus(ReplayGuard.KEPT).plusSeconds(1);
        clock.set(later);
        accept(guard, later, 1_000, 1_001);
        assertEquals(100 - ReplayGuard.DROP_PER_MESSAGE + 1, guard.size(), "one message drops a few, not all");
        assertEquals(7, messagesUntilOnlyTheirsAreKept(guard, later, 1_000),
                "the 100 expired ones dropped by 7 messages (16 each)");
    }

    @Test
    void aNonceSentAheadHoldsBackThoseAfterItButNothingIsDroppedEarly() {
        MovingClock clock = new MovingClock(START);
        ReplayGuard guard = new ReplayGuard(clock);
        // its sender's clock four minutes ahead: kept until four minutes after the others
        accept(guard, START.plus(Duration.ofMinutes(4)), 0, 1);
        accept(guard, START, 1, 11);
        clock.set(START.plus(ReplayGuard.KEPT).plusSeconds(1));
        accept(guard, clock.instant(), 100, 101);
        assertEquals(12, guard.size(), "the first still unexpired: none after it dropped yet");
        clock.set(START.plus(ReplayGuard.KEPT).plus(Duration.ofMinutes(4)).plusSeconds(1));
        accept(guard, clock.instant(), 101, 102);
        assertEquals(2, guard.size(), "then all eleven expired at once; the two later ones kept");
    }

    @Test
    void afterABurstAFewMessagesDropItsNoncesAHundredthOfThoseKeptEach() {
        MovingClock clock = new MovingClock(START);
        ReplayGuard guard = new ReplayGuard(clock);
        int burst = 100_000;
        accept(guard, START, 0, burst);
        Instant later = START.plus(ReplayGuard.KEPT).plusSeconds(1);
        clock.set(later);
        accept(guard, later, burst, burst + 1);
        assertEquals(burst - burst / ReplayGuard.DROP_DIVISOR + 1, guard.size(), "a hundredth of 100,000 at once");
        int quiet = messagesUntilOnlyTheirsAreKept(guard, later, burst);
        assertTrue(quiet < 1_000, "the burst's nonces gone after " + quiet + " messages, not 100,000 / 16");
    }
}
