package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
}
