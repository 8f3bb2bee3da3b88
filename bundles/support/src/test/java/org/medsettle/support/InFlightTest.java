package org.medsettle.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class InFlightTest {

    @Test
    void closingRefusesNewRequestsAtOnceAndWaitsForThoseInProgress() throws Exception {
        InFlight inFlight = new InFlight();
        assertTrue(inFlight.enter());
        CountDownLatch closingStarted = new CountDownLatch(1);
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
            closingStarted.countDown();
            try {
                return inFlight.close(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        closingStarted.await();
        // the close waits for the request in progress; new ones are refused meanwhile
        while (!inFlight.closing()) {
            Thread.onSpinWait();
        }
        assertFalse(inFlight.enter(), "a new request is refused once closing began");
        assertFalse(closed.isDone(), "the request in progress holds the close");
        assertEquals(1, inFlight.count());
        inFlight.exit();
        assertTrue(closed.get(10, TimeUnit.SECONDS));
        assertEquals(0, inFlight.count());
    }

    @Test
    void closeAnswersFalseWhenARequestOutlastsTheTimeout() throws Exception {
        InFlight inFlight = new InFlight();
        assertTrue(inFlight.enter());
        assertFalse(inFlight.close(Duration.ofMillis(50)));
        inFlight.exit();
        assertTrue(inFlight.close(Duration.ofMillis(50)));
    }

    @Test
    void nothingInProgressClosesAtOnce() throws Exception {
        InFlight inFlight = new InFlight();
        assertTrue(inFlight.enter());
        inFlight.exit();
        assertTrue(inFlight.close(Duration.ZERO));
        assertFalse(inFlight.enter());
    }
}
