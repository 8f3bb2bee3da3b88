package org.medsettle.api.clearing;

import java.time.Instant;
import java.util.List;

import org.medsettle.api.Admdvs;
import org.medsettle.api.store.Actor;

/**
 * Prepayments (预付金) at a province node (funds.md): what each insured province has paid each treatment province in
 * advance for the year, recorded at either node (or through the hub) and known to both; at the treatment node the
 * usage — claims not cleared yet over the prepaid — watched, with a warning at {@code warnPercent} (70) and an
 * emergency top-up request (紧急调增) at {@code emergencyPercent} (90), each once per crossing and sent to the insured
 * node through the hub. A settlement is never refused for a low balance. Clearing restores the balance: the claims it
 * clears are no longer outstanding.
 */
public interface Prepayments {

    /**
     * Records that {@code insured} paid {@code treatment} {@code fen} in advance for {@code year} (one of the two is
     * this node's province); the other node is told through the hub (the durable outbox). Audited, with a ledger
     * posting ({@code PREPAID}: {@code prepaid:<counterpart>} against {@code bank}).
     *
     * @throws IllegalArgumentException for a province that is not one, neither side this node's, an amount that is
     *                                  not positive or above 100 billion yuan, a year not this or next, a blank reason
     */
    Prepayment record(Admdvs insured, Admdvs treatment, long fen, int year, String reason, Actor actor);

    /** Every counterpart with a prepayment or claims: where it stands now. */
    List<Standing> standings();

    /** The prepayments recorded here, newest first. */
    List<Prepayment> history();

    /**
     * What a year's prepayments between this province and {@code counterpart} should be: {@code months} of the year
     * before's flows (the fund and account payments of the settlements, net of reversals, committed here for the
     * counterpart's people, and applied here for this province's people treated there) — one suggestion per
     * direction that had any.
     */
    List<Sizing> size(Admdvs counterpart, int year, int months);

    /** A prepayment, as both nodes know it (its id is the same at both). */
    record Prepayment(String id, Admdvs insured, Admdvs treatment, int year, long fen, Instant recordedAt,
                      String recordedBy, String channel, String reason) {
    }

    /** The usage levels: below the warning threshold, at or above it, at or above the emergency threshold. */
    enum Level {
        NONE, WARNING, EMERGENCY
    }

    /**
     * Where a pair of provinces stands.
     *
     * @param insured     the province that pays in advance
     * @param treatment   the province that is paid (its node watches the usage)
     * @param prepaidFen  this year's prepayments
     * @param outstanding claims not cleared yet (known at the treatment node; at the insured node as the last alert
     *                    told)
     * @param permille    usage in tenths of a percent (outstanding / prepaid); -1 without a prepayment
     * @param level       since when and at which level (as the treatment node last decided)
     * @param topUpFen    the emergency top-up asked (brings the usage back to half), 0 below the emergency level
     */
    record Standing(Admdvs insured, Admdvs treatment, int year, long prepaidFen, long outstanding, int permille,
                    Level level, Instant since, long topUpFen) {
    }

    /** A suggested prepayment. */
    record Sizing(Admdvs insured, Admdvs treatment, int basisYear, long basisFen, int months, long suggestedFen) {
    }
}
