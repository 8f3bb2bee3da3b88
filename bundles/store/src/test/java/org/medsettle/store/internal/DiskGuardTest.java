package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.medsettle.api.store.StoreException;

class DiskGuardTest {

    @Test
    void belowTheFloorEveryChangeIsRefusedAndAboveItAgainAsSoonAsItIsLookedAtAgain() {
        AtomicLong free = new AtomicLong(DiskGuard.FLOOR_BYTES - 1);
        AtomicLong nanos = new AtomicLong();
        DiskGuard guard = new DiskGuard(() -> OptionalLong.of(free.get()), nanos::get);
        StoreException e = assertThrows(StoreException.class, () -> guard.check("settle visit 1"));
        assertTrue(e.getMessage().startsWith("cannot settle visit 1: only 31 MiB free"), e.getMessage());
        free.set(DiskGuard.FLOOR_BYTES * 10);
        assertThrows(StoreException.class, () -> guard.check("settle visit 1"), "looked at twice a second at most");
        nanos.addAndGet(600_000_000L);
        assertDoesNotThrow(() -> guard.check("settle visit 1"));
    }

    @Test
    void aDatabaseWithoutADiskOfItsOwnIsNeverRefused() {
        DiskGuard guard = new DiskGuard(OptionalLong::empty, System::nanoTime);
        assertDoesNotThrow(() -> guard.check("anything"));
    }
}
