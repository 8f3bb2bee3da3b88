package org.medsettle.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.store.Leases;

/** A lease's holder: renewed at half its time, changes and failures told once. */
class LeaseHolderTest {

    /** Leases a test steers: who may hold, whether the database answers; counts the database's calls. */
    static final class FakeLeases implements Leases {
        boolean grant = true;
        boolean down;
        int calls;

        public boolean hold(String name, Duration ttl) {
            calls++;
            if (down) {
                throw new IllegalStateException("database gone");
            }
            return grant;
        }

        public void release(String name) {
            calls++;
        }

        public List<Lease> leases() {
            return List.of();
        }

        public String holderName() {
            return "host:1:0";
        }
    }

    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-02T00:00:00Z");

        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    @Test
    void aHeldLeaseIsRenewedOnlyAfterHalfItsTime() {
        FakeLeases leases = new FakeLeases();
        Moving clock = new Moving();
        List<String> told = new ArrayList<>();
        LeaseHolder h = new LeaseHolder(leases, "link-outbox", Duration.ofSeconds(15), clock, "sends notices",
                told::add, told::add);
        assertTrue(h.holds());
        for (int i = 0; i < 14; i++) {
            clock.now = clock.now.plusMillis(500);
            assertTrue(h.holds());
        }
        assertEquals(1, leases.calls, "7 s of 500 ms ticks: no renewal yet");
        clock.now = clock.now.plusMillis(500);
        assertTrue(h.holds());
        assertEquals(2, leases.calls, "renewed at 7.5 s");
        assertEquals(1, told.size(), told.toString());
        assertTrue(told.get(0).contains("now holds lease link-outbox"), told.get(0));
    }

    @Test
    void anotherHolderAndAFailingDatabaseAreToldOnceAndNobodyWorksMeanwhile() {
        FakeLeases leases = new FakeLeases();
        Moving clock = new Moving();
        List<String> told = new ArrayList<>();
        LeaseHolder h = new LeaseHolder(leases, "clearing-hub", Duration.ofSeconds(60), clock, "runs clearings",
                told::add, told::add);
        leases.grant = false;
        assertFalse(h.holds());
        assertFalse(h.holds());
        assertEquals(2, leases.calls, "not held: asked every time");
        leases.down = true;
        assertFalse(h.holds());
        assertFalse(h.holds());
        leases.down = false;
        leases.grant = true;
        assertTrue(h.holds());
        assertEquals(List.of("Lease clearing-hub is held by another instance: this one (host:1:0) leaves its work "
                        + "(runs clearings) to it",
                "Lease clearing-hub could not be taken or renewed (database gone): this instance does not do its work "
                        + "(runs clearings) until it can",
                "This instance (host:1:0) now holds lease clearing-hub and runs clearings"), told);
        h.release();
        assertTrue(h.holds(), "after a release it is taken again at once");
    }
}
