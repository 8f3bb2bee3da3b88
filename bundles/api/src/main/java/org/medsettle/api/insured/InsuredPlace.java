package org.medsettle.api.insured;

import java.util.Optional;

/**
 * What the node of the insured province (参保地) answers for its people: who they are, whether a filing covers a
 * visit, their accumulators, and the settlements made for them anywhere. Served locally by the insured node
 * ({@code medsettle.insured=local}) and, for other provinces, through the national hub
 * ({@code medsettle.insured=remote}, the link).
 *
 * <p>Accumulators are updated with a version check: {@link #apply} succeeds only if nothing changed them since
 * {@link #coverage} read them; otherwise the caller recomputes with the fresh ones. Every change is applied once
 * per {@code setl_id}: a repeated apply, confirm or undo answers as the first did.
 *
 * @see org.medsettle.api.link.LinkUnavailableException thrown by the remote implementation when no answer came
 */
public interface InsuredPlace {

    /** Person information ({@code 1101}); empty if the insured province does not know the person. */
    Optional<InsuredPerson> person(PersonQuery query);

    /**
     * The person, the filing that covers the visit and the person's accumulators for the settlement year.
     *
     * @throws CoverageRefusedException if the person is unknown or no filing covers the visit
     */
    Coverage coverage(CoverageQuery query);

    /** Applies a settlement's accumulator change if the version still holds. */
    ApplyResult apply(ApplyRequest request);

    /** The treatment node committed the settlement (its notice, sent through the durable outbox). */
    void confirm(org.medsettle.api.Admdvs insuredPlace, String setlId);

    /** Several notices' settlements confirmed at once (a batch of the outbox); by default one by one. */
    default void confirm(org.medsettle.api.Admdvs insuredPlace, java.util.List<String> setlIds) {
        setlIds.forEach(id -> confirm(insuredPlace, id));
    }

    /**
     * Takes back what settlement {@code setlId} applied: a reversal (2305/2208) or the release of a settlement the
     * treatment node never committed. Undoing a settlement that was never applied records it so that a late
     * apply is refused.
     *
     * @param undoId the reversal's own {@code setl_id}, or the released settlement's id
     * @return the account balance after the undo
     */
    UndoResult undo(org.medsettle.api.Admdvs insuredPlace, String setlId, String undoId);
}
