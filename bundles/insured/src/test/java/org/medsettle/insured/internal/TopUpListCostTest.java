package org.medsettle.insured.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medsettle.api.topup.TopUp;
import org.medsettle.api.topup.TopUpState;
import org.medsettle.store.testing.QueryPlans;
import org.medsettle.store.testing.TestIdentities;

/**
 * The top-ups' table keeps every top-up ever owed; {@code medsettle:topup-list} shows the newest, each with its state
 * worked out (waiting for its settlement or its month's clearing, payable): held to the rows Derby's plans visit with
 * 2,000 paid and 3 recorded — counts, not times; before (issue 15) the list read and sorted the whole table, working
 * out every row's state on the way.
 */
@Tag("database")
class TopUpListCostTest {

    private static final LocalDateTime FIRST = LocalDateTime.of(2026, 1, 1, 10, 0);
    private static final int PAID = 2_000;

    private final QueryPlans.Recorded db = QueryPlans.freshDerby();
    private final TopUpBook book;

    /**
     * Top-ups S0000… settled two hours apart from 2026-01-01 10:00 (S1999 on 2026-06-24, the recorded ones after),
     * the first 2,000 paid, the last three recorded.
     */
    TopUpListCostTest() {
        db.store().applyOwnSchema(org.medsettle.ledger.internal.LedgerService.class.getClassLoader(), "db/ledger",
                "medsettle-ledger");
        db.store().applyOwnSchema(TopUpBook.class.getClassLoader(), "db/insured", "medsettle-insured");
        db.store().applyOwnSchema(org.medsettle.clearing.internal.ClearingNode.class.getClassLoader(), "db/clearing",
                "medsettle-clearing");
        book = new TopUpBook(db.store(), db.store(), null, TestIdentities.node("630000"), null, null,
                Clock.fixed(Instant.parse("2026-11-20T02:00:00Z"), ZoneOffset.UTC));
        db.store().inTransaction("top-ups", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_top_up (setl_id, mdtrtarea_admvs, "
                    + "psn_no, mdtrt_id, fixmedins_code, med_type, setl_time, setl_month, top_up_amt, "
                    + "direct_fund_pay, manual_fund_pay, policy_version, policy_date, catalogue, state, received_at, "
                    + "paid_at, paid_by, payment_ref) VALUES (?, '330000', 'P1', 'M', 'H33010000003', '21', ?, ?, "
                    + "10.00, 100.00, 110.00, '2026.1', '2026-01-01', '630000 v1', ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < PAID + 3; i++) {
                    boolean paid = i < PAID;
                    LocalDateTime time = FIRST.plusHours(2L * i);
                    ps.setString(1, String.format("S%04d", i));
                    ps.setTimestamp(2, Timestamp.valueOf(time));
                    ps.setString(3, YearMonth.from(time).toString());
                    ps.setString(4, paid ? "PAID" : "RECORDED");
                    ps.setTimestamp(5, Timestamp.valueOf(time.plusHours(1)));
                    ps.setTimestamp(6, paid ? Timestamp.valueOf(time.plusDays(40)) : null);
                    ps.setString(7, paid ? "console/agency" : null);
                    ps.setString(8, paid ? "PAY-" + i : null);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        db.plans().reset();
    }

    private List<String> listed(Optional<TopUpState> state, Optional<YearMonth> month, int limit) {
        return book.list(state, month, limit).stream().map(TopUp::setlId).toList();
    }

    private QueryPlans.Plan theOnlyPlan() {
        return db.plans().single("insured_top_up");
    }

    @Test
    void theListReadsOnlyTheNewestTopUpsItShowsWithoutASort() {
        assertEquals(List.of("S2002", "S2001", "S2000", "S1999", "S1998"), listed(Optional.empty(), Optional.empty(),
                5));
        assertEquals(List.of(TopUpState.WAITING, TopUpState.PAID), book.list(Optional.empty(), Optional.empty(), 4)
                .stream().map(TopUp::state).distinct().toList());

        // the top-ups shown, each with its look-ups of its settlement and its clearing (empty tables here)
        db.plans().of("insured_top_up").get(0).indexedVisitingAtMost(2 * 5 + 2).unsorted();
    }

    @Test
    void thoseNotPaidAreReadWithoutThePaidOnes() {
        assertEquals(List.of("S2002", "S2001"), listed(Optional.of(TopUpState.WAITING), Optional.empty(), 2));

        theOnlyPlan().indexedVisitingAtMost(2 * 3 + 2);
    }

    @Test
    void aMonthsTopUpsAreReadFromThatMonthOnlyNewestFirst() {
        // February 2026: S0367 (2026-02-01 00:00) to S0702 (2026-02-28 22:00)
        List<String> february = listed(Optional.of(TopUpState.PAID), Optional.of(YearMonth.of(2026, 2)), 1000);
        assertEquals(336, february.size());
        assertEquals("S0702", february.get(0));
        assertEquals("S0367", february.get(february.size() - 1));

        theOnlyPlan().indexedVisitingAtMost(2 * 336 + 2).unsorted();
    }
}
