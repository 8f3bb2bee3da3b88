package org.medsettle.api.clearing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/**
 * A province node's side of the monthly clearing: what it reported to the hub, the statements it received and its
 * lines not cleared yet (tables {@code clearing_report}, {@code clearing_line}, {@code clearing_statement}, which the
 * clearing bundle alone writes).
 */
public interface ClearingBook {

    /** Every clearing this node reported in, newest first. */
    List<Clearing> clearings();

    /** The statement the hub gave this node for {@code month}, if it has it. */
    Optional<ClearingStatement> statement(YearMonth month);

    /** Lines reported and not cleared (carried to the next month), oldest first, at most {@code limit}. */
    List<Line> carried(int limit);

    /** The two sides of a node's report. */
    enum Side {
        /** As the treatment province: what it claims of insured provinces. */
        CLAIMS,
        /** As the insured province: what it applied for its people treated elsewhere. */
        APPLICATIONS
    }

    /**
     * A node's part in one clearing.
     *
     * @param reported lines reported (both sides)
     * @param cleared  of them, cleared
     * @param carried  of them, carried to the next month
     * @param closed   when the hub's result came; null until then
     */
    record Clearing(String clearingId, YearMonth month, long reported, long cleared, long carried, Instant closed) {
    }

    /** A line as the node reported it. */
    record Line(Side side, Admdvs counterpart, String setlId, Movement movement, YearMonth month, FundAmounts amounts,
                String clearingId, String state) {
    }
}
