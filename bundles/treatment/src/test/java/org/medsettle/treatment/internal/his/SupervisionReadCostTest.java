package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.supervision.Supervision;
import org.medsettle.engine.internal.Reference;
import org.medsettle.store.testing.QueryPlans;
import org.medsettle.supervision.internal.SupervisionService;

/**
 * The supervision flags' table keeps every flag ever raised. Every health check (medsettle:health, a load balancer's
 * probe every few seconds) counts those waiting for review, and {@code medsettle:supervision-flags} lists the newest,
 * filtered: each held to the rows Derby's plan visits with 2,000 flags reviewed and 3 open — counts, not times;
 * before (issue 15) each read the whole table, the list sorted it too.
 */
@Tag("database")
class SupervisionReadCostTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private final QueryPlans.Recorded db = QueryPlans.freshDerby();
    private final SupervisionService supervision = Network.supervisionOn(db.store(), Reference.catalogue("330000"),
            Clock.fixed(T0, ZoneOffset.UTC));

    /**
     * Flags 1…2,003 a second apart from {@link #T0}, alternately at two hospitals, persons P0…P9 in turn; the last
     * three open, the others reviewed.
     */
    SupervisionReadCostTest() {
        db.store().inTransaction("flags", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO supervision_flag (flag_id, flagged_at, "
                    + "rule_name, rule_mode, outcome, fixmedins_code, mdtrt_id, psn_no, setl_id, detail, review) "
                    + "VALUES (?, ?, 'overlapping-stay', 'FLAG', 'SETTLED', ?, ?, ?, ?, 'test', ?)")) {
                for (int i = 0; i < 2_003; i++) {
                    ps.setLong(1, i + 1);
                    ps.setTimestamp(2, Timestamp.from(T0.plusSeconds(i)));
                    ps.setString(3, i % 2 == 0 ? "H33010000001" : "H33010000002");
                    ps.setString(4, "M" + i);
                    ps.setString(5, "P" + i % 10);
                    ps.setString(6, "S" + i);
                    ps.setString(7, i < 2_000 ? (i % 2 == 0 ? "DISMISSED" : "CONFIRMED") : "OPEN");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        db.plans().reset();
    }

    private QueryPlans.Plan theOnlyPlan() {
        return db.plans().single("supervision_flag");
    }

    @Test
    void theHealthCheckCountsTheOpenFlagsWithoutReadingTheReviewedOnes() {
        HealthResult health = supervision.check();

        assertTrue(health.ok(), health::toString);
        assertTrue(health.detail().startsWith("3 flag(s) waiting for review, the oldest of "),
                health::toString);
        theOnlyPlan().indexedVisitingAtMost(4);
    }

    private List<Long> ids(Supervision.FlagQuery q) {
        return supervision.flags(q).stream().map(Supervision.Flag::id).toList();
    }

    @Test
    void theListReadsOnlyTheNewestFlagsItShowsWithoutASort() {
        assertEquals(List.of(2003L, 2002L, 2001L, 2000L, 1999L), ids(Supervision.FlagQuery.all(5)));

        theOnlyPlan().indexedVisitingAtMost(2 * 5 + 2).unsorted();
    }

    @Test
    void aFilteredListReadsAsFarAsItsNewestMatchesNotTheWholeTable() {
        var byHospitalAndPerson = new Supervision.FlagQuery(Optional.empty(), Optional.of("H33010000002"),
                Optional.of("P3"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 3);
        // flags 1994, 1984, 1974 (i = 1993, 1983, 1973: odd, ending in 3)
        assertEquals(List.of(1994L, 1984L, 1974L), ids(byHospitalAndPerson));
        theOnlyPlan().indexedVisitingAtMost(2 * 31 + 2).unsorted();
    }

    @Test
    void aListOfDaysReadsThoseDaysOnlyAndOneVisitsOrTheOpenFlagsTheirOwnRows() {
        var lastDay = new Supervision.FlagQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(LocalDate.of(2026, 2, 27)), Optional.of(LocalDate.of(2026, 2, 28)), 10);
        assertEquals(List.of(), ids(lastDay), "flagged from 2026-03-01 on");
        theOnlyPlan().indexedVisitingAtMost(2);

        db.plans().reset();
        var visit = new Supervision.FlagQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("M7"),
                Optional.empty(), Optional.empty(), Optional.empty(), 10);
        assertEquals(List.of(8L), ids(visit));
        theOnlyPlan().indexedVisitingAtMost(2);

        db.plans().reset();
        var open = new Supervision.FlagQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Supervision.Review.OPEN), Optional.empty(), Optional.empty(), 2);
        assertEquals(List.of(2003L, 2002L), ids(open));
        theOnlyPlan().indexedVisitingAtMost(2 * 3);
    }
}
