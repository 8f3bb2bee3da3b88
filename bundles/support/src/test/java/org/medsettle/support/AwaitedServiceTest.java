package org.medsettle.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AwaitedServiceTest {

    @Test
    void aCallerWaitsForTheServiceOfTheUpdatedBundle() throws Exception {
        AwaitedService<String> slot = new AwaitedService<>();
        String old = new String("link 1");
        slot.bind(old);
        slot.unbind(old);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> slot.await(Duration.ofSeconds(30)));
        String updated = new String("link 2");
        slot.bind(updated);
        assertSame(updated, waiting.get(10, TimeUnit.SECONDS));
    }

    @Test
    void noServiceWithinTheTimeoutIsNull() {
        AwaitedService<String> slot = new AwaitedService<>();
        assertNull(slot.await(Duration.ofMillis(20)));
        assertNull(slot.now());
    }

    @Test
    void unbindingAServiceAlreadyReplacedKeepsTheNewOne() {
        AwaitedService<String> slot = new AwaitedService<>();
        String first = new String("a");
        String second = new String("b");
        slot.bind(first);
        slot.bind(second);
        slot.unbind(first);
        assertEquals("b", slot.now());
    }
}
