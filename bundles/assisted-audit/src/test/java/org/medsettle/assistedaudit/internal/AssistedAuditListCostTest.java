package org.medsettle.assistedaudit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.supervision.AssistedAudits;
import org.medsettle.store.testing.QueryPlans;
import org.medsettle.store.testing.RecordingLink;

/**
 * The assisted audits' table keeps every case ever opened, each answered one with its bill (up to 32,000 characters).
 * Every health check (medsettle:health, a load balancer's probe every few seconds) reads the open ones, and the
 * console's and the agency API's lists show the newest: held here to the rows Derby's plans visit with 2,000 cases
 * answered — counts, not times; before (issue 15) each read and sorted the whole table.
 */
@Tag("database")
class AssistedAuditListCostTest {

    private static final Instant T0 = Instant.parse("2026-06-01T02:00:00Z");
    private static final int ANSWERED = 2_000;

    private final QueryPlans.Recorded db = QueryPlans.freshDerby();
    private final AssistedAuditService audits;

    AssistedAuditListCostTest() {
        db.store().applyOwnSchema(AssistedAuditService.class.getClassLoader(), "db/assisted-audit",
                "medsettle-assisted-audit");
        // today (China) is 2026-07-01: a deadline before it is overdue
        audits = AssistedAuditService.of(Admdvs.of("630000"), db.store(), db.store(), new RecordingLink(),
                Clock.fixed(Instant.parse("2026-07-01T02:00:00Z"), ZoneOffset.UTC));
    }

    /** Cases K0000… opened a minute apart, the first {@code answered} answered with a bill; the rest open. */
    private void cases(int answered, LocalDate... openDeadlines) {
        String bill = "F0001|XB05BBA250A938646502808|H-1|2026-05-03T08:00|10|1|10.00|01\n".repeat(40);
        db.store().inTransaction("cases", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO assisted_audit (case_id, setl_id, mdtrt_id, "
                    + "insured, treatment, fixmedins_code, medfee_fen, question, opened_at, opened_by, deadline, "
                    + "state, answered_at, answered_by, answer_comment, bill, bill_lines, bill_note) VALUES (?, ?, "
                    + "'M', '630000', '330000', 'H33010000003', 4500000, 'q', ?, 'console/agency', ?, ?, ?, ?, ?, ?, "
                    + "?, '')")) {
                int n = answered + openDeadlines.length;
                for (int i = 0; i < n; i++) {
                    boolean open = i >= answered;
                    ps.setString(1, String.format("K%04d", i));
                    ps.setString(2, String.format("S%04d", i));
                    ps.setTimestamp(3, Timestamp.from(T0.plusSeconds(60L * i)));
                    ps.setDate(4, Date.valueOf(open ? openDeadlines[i - answered] : LocalDate.of(2026, 6, 20)));
                    ps.setString(5, open ? "OPEN" : "ANSWERED");
                    ps.setTimestamp(6, open ? null : Timestamp.from(T0.plusSeconds(60L * i + 30)));
                    ps.setString(7, open ? null : "console/hospital");
                    ps.setString(8, open ? null : "the bill");
                    ps.setString(9, open ? null : bill);
                    ps.setInt(10, open ? 0 : 40);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        db.plans().reset();
    }

    private QueryPlans.Plan theOnlyPlan() {
        return db.plans().single("assisted_audit");
    }

    @Test
    void theHealthCheckReadsTheOpenCasesOnlyAndNamesTheOverdueOldestDeadlineFirst() {
        cases(ANSWERED, LocalDate.of(2026, 7, 20), LocalDate.of(2026, 6, 28), LocalDate.of(2026, 6, 25));

        HealthResult health = audits.check();

        assertTrue(health.ok(), health::toString);
        assertEquals("3 case(s) open, 2 OVERDUE, the oldest deadlines first: K2002 (settlement S2002, asked of "
                + "330000, deadline 2026-06-25); K2001 (settlement S2001, asked of 330000, deadline 2026-06-28)",
                health.detail());
        theOnlyPlan().indexedVisitingAtMost(2 * 3);
    }

    @Test
    void theHealthCheckNamesFiveOverdueCasesAndCountsTheRest() {
        cases(10, IntStream.range(0, 8).mapToObj(i -> LocalDate.of(2026, 6, 10 + i)).toArray(LocalDate[]::new));

        String detail = audits.check().detail();

        assertTrue(detail.startsWith("8 case(s) open, 8 OVERDUE, the oldest deadlines first: K0010 "), detail);
        assertTrue(detail.contains("; K0014 (settlement S0014, asked of 330000, deadline 2026-06-14); and 3 more "
                + "(medsettle:assisted-audit-list --open)"), detail);
        assertFalse(detail.contains("K0015"), detail);
    }

    @Test
    void theListReadsOnlyTheNewestCasesItShowsNewestFirst() {
        cases(ANSWERED, LocalDate.of(2026, 7, 20));

        List<AssistedAudits.Case> newest = audits.cases(false, 10);

        assertEquals(IntStream.range(0, 10).mapToObj(i -> String.format("K%04d", ANSWERED - i)).toList(),
                newest.stream().map(AssistedAudits.Case::caseId).toList());
        assertEquals(40, newest.get(1).bill().size(), "a case as the show command gives it, its bill included");
        theOnlyPlan().indexedVisitingAtMost(2 * 10 + 2).unsorted();
    }

    @Test
    void theOpenListReadsOnlyTheOpenCasesNewestFirst() {
        cases(ANSWERED, LocalDate.of(2026, 7, 20), LocalDate.of(2026, 6, 28), LocalDate.of(2026, 6, 25));

        List<AssistedAudits.Case> open = audits.cases(true, 2);

        assertEquals(List.of("K2002", "K2001"), open.stream().map(AssistedAudits.Case::caseId).toList());
        theOnlyPlan().indexedVisitingAtMost(2 * 3);
    }

    @Test
    void aListOfNoCasesOrOfMoreThanAThousandIsRefused() {
        for (int limit : new int[] {0, -1, AssistedAudits.MAX_LIST + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> audits.cases(false, limit));
            assertEquals("limit: from 1 to 1000 cases, not " + limit, e.getMessage());
        }
    }
}
