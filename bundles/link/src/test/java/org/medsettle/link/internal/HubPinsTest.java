package org.medsettle.link.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class HubPinsTest {

    private static final String OLD = "a".repeat(64);
    private static final String NEW = "0123456789abcdef".repeat(4);

    @Test
    void oneFingerprintOrSeveralSeparatedByCommasArePinned() {
        assertEquals(Set.of(OLD), LinkComponent.pins(" " + OLD.toUpperCase() + " "));
        assertEquals(Set.of(OLD, NEW), LinkComponent.pins(OLD + ", " + NEW));
    }

    @Test
    void anythingThatIsNotAFingerprintPinsNothingSoTheHealthCheckFails() {
        assertEquals(Set.of(), LinkComponent.pins(""));
        assertEquals(Set.of(), LinkComponent.pins("Error executing command: Command not found"));
        assertEquals(Set.of(), LinkComponent.pins(OLD + ",not-a-fingerprint"), "one bad part: none pinned");
    }
}
