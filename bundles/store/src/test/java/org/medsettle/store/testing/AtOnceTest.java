package org.medsettle.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AtOnceTest {

    @Test
    void everyCallIsUnderWayBeforeAnyEndsAndTheResultsComeInTheCallsOrder() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(4);
        List<Callable<Integer>> calls = List.of(0, 1, 2, 3).stream().<Callable<Integer>>map(i -> () -> {
            allStarted.countDown();
            // run one after the other, no call would see the others started
            assertTrue(allStarted.await(10, TimeUnit.SECONDS), "call " + i + " alone");
            return i * 10;
        }).toList();
        assertEquals(List.of(0, 10, 20, 30), AtOnce.run(calls));
    }

    @Test
    void whatTheFirstFailingCallThrewIsThrownAsItWas() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtOnce.run(List.of(
                () -> "fine", () -> {
                    throw new IllegalStateException("second");
                }, () -> {
                    throw new IllegalArgumentException("third");
                })));
        assertEquals("second", thrown.getMessage());
    }
}
