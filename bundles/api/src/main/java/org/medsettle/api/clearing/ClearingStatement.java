package org.medsettle.api.clearing;

import java.time.YearMonth;
import java.util.List;

import org.medsettle.api.Admdvs;

/**
 * A province's clearing statement (清算单) for a month: per counterpart province what it receives (as the treatment
 * province, for the lines cleared) and what it pays (as the insured province). Over all provinces of a clearing the
 * nets sum to zero.
 *
 * @param clearingId the clearing, e.g. {@code CL202611}
 * @param month      the month cleared
 * @param province   whose statement it is
 * @param positions  one per counterpart with something cleared, by code
 * @param carried    lines of this province carried to the next month (cases), not in the amounts
 */
public record ClearingStatement(String clearingId, YearMonth month, Admdvs province, List<Position> positions,
                                long carried) {

    public ClearingStatement {
        positions = List.copyOf(positions);
    }

    /**
     * What moved between {@code province} and one counterpart.
     *
     * @param receives      what the counterpart pays this province for its people's settlements here
     * @param receivedLines how many lines that is
     * @param pays          what this province pays the counterpart for its people's settlements there
     * @param paidLines     how many lines that is
     */
    public record Position(Admdvs counterpart, FundAmounts receives, long receivedLines, FundAmounts pays,
                           long paidLines) {

        /** Received minus paid, in fen. */
        public long net() {
            return Math.subtractExact(receives.total(), pays.total());
        }
    }

    /** What the province receives, all counterparts. */
    public FundAmounts receives() {
        return positions.stream().map(Position::receives).reduce(FundAmounts.ZERO, FundAmounts::plus);
    }

    /** What the province pays, all counterparts. */
    public FundAmounts pays() {
        return positions.stream().map(Position::pays).reduce(FundAmounts.ZERO, FundAmounts::plus);
    }

    /** Received minus paid, in fen: positive, the province is paid. */
    public long net() {
        return Math.subtractExact(receives().total(), pays().total());
    }
}
