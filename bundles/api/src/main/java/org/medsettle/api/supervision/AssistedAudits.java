package org.medsettle.api.supervision;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.store.Actor;

/**
 * Assisted audits of large amounts (费用协查) at a province node: the insured node opens a case on a cross-province
 * inpatient stay of more than {@link #THRESHOLD_FEN} its people had settled elsewhere; the treatment node answers with
 * the visit's bill and a comment; both nodes keep the case, its state and its deadline (tables of the
 * {@code medsettle-assisted-audit} bundle; the two nodes tell each other through the hub's durable notices). A case
 * still open after its deadline is overdue, and shows in {@code medsettle:health} at both nodes.
 */
public interface AssistedAudits {

    /** A stay above this total (medfee_sumamt), in fen, may be put to an assisted audit: 30,000 yuan. */
    long THRESHOLD_FEN = 3_000_000;

    /**
     * Opens a case (at the insured node) on settlement {@code setlId}, applied here for one of this province's people.
     *
     * @param days until the deadline (1 to 60)
     * @throws IllegalArgumentException no such settlement applied here (or undone), not an inpatient stay, not above
     *                                  30,000 yuan, a case already open on it, no question, days out of range
     */
    Case open(String setlId, String question, int days, Actor actor);

    /**
     * Answers a case (at the treatment node) with the visit's bill, which the node attaches, and {@code comment}.
     *
     * @throws IllegalArgumentException no such case here, the case is not this node's to answer, answered already,
     *                                  no comment
     */
    Case answer(String caseId, String comment, Actor actor);

    /** The most cases one list gives ({@link #cases}). */
    int MAX_LIST = 1000;

    /**
     * The newest {@code limit} cases this node holds (opened here or for it to answer), newest first (by when they
     * were opened); {@code openOnly}: not answered.
     *
     * @throws IllegalArgumentException {@code limit} not from 1 to {@link #MAX_LIST}
     */
    List<Case> cases(boolean openOnly, int limit);

    Optional<Case> get(String caseId);

    /** A case's states. */
    enum State {
        OPEN, ANSWERED
    }

    /**
     * A case as this node knows it.
     *
     * @param bill      the visit's fee lines as the treatment node sent them (empty until answered)
     * @param billLines how many fee lines the visit has (the bill may carry fewer: the largest, see
     *                  {@code billNote})
     * @param billNote  what the bill holds, e.g. that only the largest lines travelled
     */
    record Case(String caseId, String setlId, String mdtrtId, String insured, String treatment, String hospital,
                long medfeeFen, String question, Instant openedAt, String openedBy, LocalDate deadline, State state,
                Instant answeredAt, String answeredBy, String comment, List<BillLine> bill, int billLines,
                String billNote) {

        public Case {
            bill = List.copyOf(bill);
        }

        /** Open after its deadline (China date {@code today}). */
        public boolean overdue(LocalDate today) {
            return state == State.OPEN && today.isAfter(deadline);
        }
    }

    /** A fee line of the visit, with the national interface's field names' meaning. */
    record BillLine(String feedetlSn, String medListCodg, String medinsListCodg, LocalDateTime feeOcurTime,
                    BigDecimal pric, BigDecimal cnt, BigDecimal detItemFeeSumamt, String chrgitmLv) {
    }
}
