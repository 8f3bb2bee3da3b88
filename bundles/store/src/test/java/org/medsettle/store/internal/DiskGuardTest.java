package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    void whileOneRequestLooksAtTheDiskTheOthersGoByWhatWasSeenInsteadOfLookingToo() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        CountDownLatch looking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicLong nanos = new AtomicLong();
        DiskGuard guard = new DiskGuard(() -> {
            looks.incrementAndGet();
            looking.countDown();
            try {
                assertTrue(answer.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OptionalLong.of(DiskGuard.FLOOR_BYTES * 10);
        }, nanos::get);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> guard.check("settle visit 1"));
        assertTrue(looking.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {
            assertDoesNotThrow(() -> guard.check("settle visit 2"));
        }
        assertEquals(1, looks.get(), "the other requests did not look while the first did");
        answer.countDown();
        first.get(10, TimeUnit.SECONDS);
        nanos.addAndGet(600_000_000L);
        guard.check("settle visit 3");
        assertEquals(2, looks.get(), "looked again half a second later");
    }

    @Test
    void aDatabaseWithoutADiskOfItsOwnIsNeverRefused() {
        DiskGuard guard = new DiskGuard(OptionalLong::empty, System::nanoTime);
        assertDoesNotThrow(() -> guard.check("anything"));
    }
}
