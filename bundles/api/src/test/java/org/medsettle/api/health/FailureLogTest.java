package org.medsettle.api.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FailureLogTest {

    @Test
    void aFailureIsWrittenOncePerIntervalAndTheNextLineCountsTheRest() {
        List<String> lines = new ArrayList<>();
        Instant[] now = {Instant.parse("2026-12-01T00:00:00Z")};
        FailureLog log = new FailureLog((line, cause) -> lines.add(line + (cause == null ? "" : " +trace")),
                Duration.ofSeconds(60), () -> now[0]);
        assertTrue(log.report("store", "the database failed", new IllegalStateException()));
        for (int i = 0; i < 999; i++) {
            assertFalse(log.report("store", "the database failed", new IllegalStateException()));
        }
        assertTrue(log.report("link", "the hub failed", null), "another kind has its own interval");
        now[0] = now[0].plusSeconds(61);
        assertTrue(log.report("store", "the database failed", null));
        assertEquals(List.of("the database failed +trace", "the hub failed",
                "the database failed (and 999 more like it in the last 60 s, not logged)"), lines);
        assertEquals(0, log.suppressed("store"));
    }
}
