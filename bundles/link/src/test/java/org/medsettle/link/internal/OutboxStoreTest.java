package org.medsettle.link.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medsettle.api.Admdvs;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.OutboxEntry;
import org.medsettle.store.testing.QueryPlans;

/**
 * The outbox keeps every notice it sent (one per settlement): reading what is still to send, how many and since when,
 * and the newest for the console, must not read them all. Held to the rows Derby's plans visit with 3,000 notices
 * sent — a count, not a time: before, each turn of the outbox and the console's list read the whole table and sorted
 * it (issue 15).
 */
@Tag("database")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxStoreTest {

    private static final int SENT = 3_000;
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private final QueryPlans.Recorded db = QueryPlans.freshDerby();
    private final org.medsettle.api.store.Transactor store = store();
    private final OutboxStore outbox = new OutboxStore(store);

    /** The database the outbox is on (Derby, its plans kept). */
    org.medsettle.api.store.Transactor store() {
        return db.store();
    }

    /** Whether the statements' plans are known (Derby's runtime statistics). */
    boolean plansKept() {
        return true;
    }

    private static HubMessage notice(int i) {
        return new HubMessage("CONFIRM-S" + i, "CONFIRM", Admdvs.of("330000"), Admdvs.of("630000"),
                "{\"setl_id\":\"S" + i + "\"}");
    }

    @BeforeAll
    void threeThousandNoticesSentAndThreeWaiting() {
        store.inTransaction("write the sent notices", c -> {
            for (int i = 0; i < SENT; i++) {
                OutboxStore.write(c, notice(i), T0.plusSeconds(i));
            }
            return null;
        });
        List<OutboxStore.Pending> sent = new ArrayList<>();
        while (true) {
            List<OutboxStore.Pending> batch = outbox.pending(500);
            if (batch.isEmpty()) {
                break;
            }
            outbox.sent(batch, T0.plusSeconds(SENT));
            sent.addAll(batch);
        }
        assertEquals(SENT, sent.size());
        // a gap of three hundred sequence numbers before the newest (wider than the first window), as after rolled-back settlements or a restart
        store.inTransaction("a gap", c -> {
            long max;
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT MAX(seq) FROM link_outbox")) {
                rs.next();
                max = rs.getLong(1);
            }
            try (var st = c.createStatement()) {
                st.execute("ALTER TABLE link_outbox ALTER COLUMN seq RESTART WITH " + (max + 301));
            }
            return null;
        });
        for (int i = SENT; i < SENT + 3; i++) {
            outbox.enqueue(notice(i), T0.plusSeconds(i));
        }
    }

    @BeforeEach
    void noPlansYet() {
        db.plans().reset();
    }

    @Test
    void whatIsStillToSendIsReadInOrderThroughTheIndexWithoutTheNoticesSent() {
        List<OutboxStore.Pending> pending = outbox.pending(500);
        assertEquals(List.of("CONFIRM-S3000", "CONFIRM-S3001", "CONFIRM-S3002"),
                pending.stream().map(p -> p.message().msgId()).toList());
        assertEquals(3, outbox.pendingCount());
        assertEquals(Optional.of(T0.plusSeconds(SENT)), outbox.oldestPending());
        assertEquals(List.of("CONFIRM-S3002", "CONFIRM-S3001", "CONFIRM-S3000"),
                outbox.entries(10, true).stream().map(OutboxEntry::msgId).toList());
        assertReadsFewRows("link_outbox", 4, 10);
    }

    @Test
    void theNewestNoticesAreReadNewestFirstWithoutReadingTheOthers() {
        List<OutboxEntry> newest = outbox.entries(5, false);
        assertEquals(List.of("CONFIRM-S3002", "CONFIRM-S3001", "CONFIRM-S3000", "CONFIRM-S2999", "CONFIRM-S2998"),
                newest.stream().map(OutboxEntry::msgId).toList());
        assertTrue(newest.get(3).sentAt().isPresent(), newest::toString);
        assertFalse(newest.get(0).sentAt().isPresent(), newest::toString);
        // the last id, the window above it (three notices, the gap), the window widened once
        assertReadsFewRows("link_outbox", 3, 1024);
        assertEquals(SENT + 3, outbox.entries(10_000, false).size());
    }

    private void assertReadsFewRows(String table, int statements, int most) {
        if (!plansKept()) {
            return;
        }
        List<QueryPlans.Plan> plans = db.plans().of(table);
        assertEquals(statements, plans.size(), plans::toString);
        for (QueryPlans.Plan p : plans) {
            assertFalse(p.scansATable(), () -> "a table scan: " + p + "\n" + p.text());
            assertTrue(p.rowsVisited() <= most, () -> p + "\n" + p.text());
        }
    }
}
