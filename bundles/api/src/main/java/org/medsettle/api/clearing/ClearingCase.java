package org.medsettle.api.clearing;

import java.time.YearMonth;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/**
 * A line the hub could not clear (a difference, 差异): it is not paid, and it is carried to the next month's clearing,
 * where it is matched again.
 *
 * @param clearingId   the clearing that found it, e.g. {@code CL202611}
 * @param treatment    the treatment province (就医地), whose node made the settlement
 * @param insured      the insured province (参保地)
 * @param setlId       the settlement's {@code setl_id} at the treatment node
 * @param movement     the settlement or its undoing (a reversal, a correction)
 * @param month        the month of the line (of the side that reported it; the treatment side's when both did)
 * @param kind         what differs
 * @param claimed      what the treatment node claims, if it reported the line
 * @param applied      what the insured node applied, if it reported the line
 * @param firstSeen    the clearing in which the case was found first (the same as {@code clearingId} if new)
 */
public record ClearingCase(String clearingId, Admdvs treatment, Admdvs insured, String setlId, Movement movement,
                           YearMonth month, Kind kind, Optional<FundAmounts> claimed, Optional<FundAmounts> applied,
                           String firstSeen) {

    /** What a case is. */
    public enum Kind {
        /** The treatment node claims it; the insured node has not applied it. */
        NOT_APPLIED,
        /** The insured node applied it; the treatment node does not claim it. */
        NOT_CLAIMED,
        /** Both reported it, with different amounts. */
        AMOUNTS_DIFFER,
        /** The other side's node did not report in this clearing (it could not be reached). */
        NO_REPORT
    }
}
