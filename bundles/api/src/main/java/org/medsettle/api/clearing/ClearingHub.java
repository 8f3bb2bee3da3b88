package org.medsettle.api.clearing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.store.Actor;

/**
 * The monthly clearing at the national hub (only on an instance with {@code MEDSETTLE_ROLE=hub}). A run for a month
 * collects every node's report (its claims as the treatment province, its applications as the insured province),
 * matches them line by line, nets the positions and delivers each node its statement and its cases; it goes on by
 * itself, across restarts of the hub, until every node has its result.
 */
public interface ClearingHub {

    /**
     * Starts clearing {@code month}. Audited.
     *
     * @throws IllegalArgumentException if the month has not ended (in China time), is before 2000, or is before the
     *                                  last month cleared
     * @throws IllegalStateException    if the month is being cleared or was cleared (a month is cleared once)
     */
    Run start(YearMonth month, Actor actor);

    /** Every run, newest first. */
    List<Run> runs();

    Optional<Run> run(YearMonth month);

    /**
     * A province's statement for a cleared month.
     *
     * @throws IllegalArgumentException if the month is not cleared (yet), or the province took no part
     */
    ClearingStatement statement(Admdvs province, YearMonth month);

    /** The cases a month's clearing carried forward, by treatment province and settlement. */
    List<ClearingCase> cases(YearMonth month);

    /**
     * A picture of a cleared month's flows between provinces, as an SVG document (any browser shows it): a matrix heat
     * map, each cell what the row's insured province pays the column's treatment province, with every province's net.
     *
     * @throws IllegalArgumentException if the month is not cleared (yet)
     */
    String picture(YearMonth month);

    /**
     * Records a prepayment through the hub: the hub asks the insured province's node to record it (which tells the
     * treatment province's node, as if recorded there). Audited at the hub and at the node.
     *
     * @throws IllegalArgumentException for bad input (as {@link Prepayments#record})
     * @throws org.medsettle.api.link.LinkUnavailableException if the insured node cannot be reached: nothing was
     *                                                         recorded
     */
    Prepayments.Prepayment recordPrepayment(Admdvs insured, Admdvs treatment, long fen, int year, String reason,
                                            Actor actor);

    /** A run's states, in order. */
    enum State {
        /** The nodes' reports are being collected. */
        COLLECTING,
        /** Matched and netted: the statements are fixed; each node is being given its result. */
        DELIVERING,
        /** Every node has its result. */
        CLEARED
    }

    /**
     * A clearing run.
     *
     * @param clearingId       {@code CL} and the month, e.g. {@code CL202611}
     * @param sources          one per node in the hub's directory when the run started
     * @param claimLines       lines the treatment nodes reported
     * @param applicationLines lines the insured nodes reported
     * @param clearedLines     lines matched and cleared (counted once)
     * @param cases            lines carried forward
     * @param netSum           the sum of all provinces' nets (0 for every run, checked)
     */
    record Run(String clearingId, YearMonth month, State state, Instant startedAt, String startedBy,
               Instant updatedAt, List<Source> sources, long claimLines, long applicationLines, long clearedLines,
               long cases, long netSum) {
        public Run {
            sources = List.copyOf(sources);
        }
    }

    /**
     * A node's part in a run.
     *
     * @param report    {@code WAITING}, {@code REPORTED} or {@code MISSING} (not reached before the collection
     *                  gave up: its lines are carried forward)
     * @param delivered when the node took its result; null until then
     * @param lastError why the last exchange with it failed; empty if none did
     */
    record Source(Admdvs node, String report, long claimLines, long applicationLines, Instant delivered,
                  String lastError) {
    }

    /** The clearing id of a month. */
    static String idOf(YearMonth month) {
        return String.format("CL%04d%02d", month.getYear(), month.getMonthValue());
    }
}
