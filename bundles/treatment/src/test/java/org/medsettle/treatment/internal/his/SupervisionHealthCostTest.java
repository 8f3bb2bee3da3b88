package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.health.HealthResult;
import org.medsettle.engine.internal.Reference;
import org.medsettle.store.testing.QueryPlans;

/**
 * Every health check (medsettle:health, a load balancer's probe every few seconds) counts the supervision flags waiting
 * for review; the table keeps every flag ever raised. Held to the rows Derby's plan visits with 2,000 flags reviewed
 * and 3 open — a count, not a time: before, it read the whole table (issue 15).
 */
@Tag("database")
class SupervisionHealthCostTest {

    @Test
    void theHealthCheckCountsTheOpenFlagsWithoutReadingTheReviewedOnes() {
        QueryPlans.Recorded db = QueryPlans.freshDerby();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        var supervision = Network.supervisionOn(db.store(), Reference.catalogue("330000"),
                Clock.fixed(t0, ZoneOffset.UTC));
        db.store().inTransaction("flags", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO supervision_flag (flag_id, flagged_at, "
                    + "rule_name, rule_mode, outcome, fixmedins_code, mdtrt_id, psn_no, setl_id, detail, review) "
                    + "VALUES (?, ?, 'overlap', 'FLAG', 'SETTLED', 'H33010000001', ?, 'P1', ?, 'test', ?)")) {
                for (int i = 0; i < 2_003; i++) {
                    ps.setLong(1, i + 1);
                    ps.setTimestamp(2, Timestamp.from(t0.plusSeconds(i)));
                    ps.setString(3, "M" + i);
                    ps.setString(4, "S" + i);
                    ps.setString(5, i < 2_000 ? (i % 2 == 0 ? "DISMISSED" : "CONFIRMED") : "OPEN");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        db.plans().reset();

        HealthResult health = supervision.check();

        assertTrue(health.ok(), health::toString);
        assertTrue(health.detail().startsWith("3 flag(s) waiting for review, the oldest of "),
                health::toString);
        List<QueryPlans.Plan> plans = db.plans().of("supervision_flag");
        assertEquals(1, plans.size(), plans::toString);
        QueryPlans.Plan p = plans.get(0);
        assertFalse(p.scansATable(), () -> p + "\n" + p.text());
        assertTrue(p.rowsVisited() <= 4, () -> p + "\n" + p.text());
    }
}
