package org.medsettle.api.provisional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.store.Actor;

/**
 * The provisional settlements (暂记结算) of a treatment node: made while their insured province was down (announced, or
 * silent for the configured time), within the risk limit agreed with that province, applied there in order when it
 * is back. Each ends APPLIED (the insured province computed the same) or as a review CASE for the two agencies
 * (computed otherwise there, or refused), never changed for the hospital and never written off silently.
 */
public interface ProvisionalSettlements {

    /** The states, in the order they are passed through. */
    List<String> STATES = List.of("QUEUED", "APPLYING", "APPLIED", "CASE");

    /**
     * One provisional settlement.
     *
     * @param reason      why it was made provisionally
     * @param basisReadAt when the coverage it was computed from was read at the insured province
     * @param recomputed  the amounts computed when it was sent there (empty before)
     * @param caseReason  what differs, or why it was refused (empty unless a case)
     * @param caseClosed  who closed the case, when, with what note (empty while open, or not a case)
     */
    record Entry(String setlId, Admdvs insuredPlace, String psnNo, String mdtrtId, Money fundPay, String state,
                 String reason, Instant basisReadAt, Instant queuedAt, Optional<Instant> appliedAt, int attempts,
                 String lastProblem, String recomputed, String caseReason, Optional<String> caseClosed) {
        public Entry {
            Objects.requireNonNull(setlId, "setlId");
            Objects.requireNonNull(state, "state");
            lastProblem = lastProblem == null ? "" : lastProblem;
            recomputed = recomputed == null ? "" : recomputed;
            caseReason = caseReason == null ? "" : caseReason;
        }
    }

    /** A risk limit agreed with an insured province: fund payment per provisional settlement, and outstanding in all. */
    record Limit(Money perSettlement, Money total, Money outstanding) {
    }

    /**
     * A review case a treatment node opened on a provisional settlement of this province's insured (the insured
     * agency's side: notice {@code PROVISIONAL_CASE}), and its conclusion once closed there.
     *
     * @param closed who closed it, when, with what note (empty while open)
     */
    record ReceivedCase(String setlId, Admdvs treatmentPlace, String psnNo, String mdtrtId, String reason,
                        Instant receivedAt, Optional<String> closed) {
    }

    /** The review cases received about this province's insured, newest first, at most {@code limit}. */
    List<ReceivedCase> received(int limit);

    /** The newest first, at most {@code limit}; {@code state} one of {@link #STATES} or empty for all. */
    List<Entry> list(Optional<String> state, Optional<Admdvs> insuredPlace, int limit);

    /** Per insured province that opted in (province code): its limit and what its unapplied settlements carry now. */
    Map<String, Limit> limits();

    /**
     * Closes an open review case with the agencies' conclusion (audited with the actor).
     *
     * @return false if {@code setlId} is no open case
     */
    boolean closeCase(String setlId, String note, Actor actor);

    /** Tries to apply the queue now (instead of at the next round); answers how many were applied and became cases. */
    int[] applyNow();
}
