package org.medsettle.api.filing;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.Filing;
import org.medsettle.api.store.Actor;

/**
 * The filings (异地就医备案) of the persons insured at this node, by the rules of filings.md. Nothing is ever
 * deleted: filings end cancelled, expired (by their dates) or superseded, and every change is kept.
 */
public interface FilingRegistry {

    /**
     * Files. An active filing of the person for the same treatment province is superseded by this one.
     *
     * @throws FilingRefusedException if a rule refuses it (unknown person, dates, evidence, a long-term filing
     *                                younger than 6 months)
     */
    Filing file(FilingRequest request, Actor actor, String reason);

    /**
     * Cancels an active filing. A long-term filing younger than 6 months is cancelled only when the person moved
     * back ({@code movedBack}).
     */
    Filing cancel(String filingId, Actor actor, String reason, boolean movedBack);

    Optional<FilingDetails> details(String filingId);

    /** The filing as it is now (state, validity), without its history. */
    Optional<Filing> filing(String filingId);

    /**
     * As {@link #filing(String)}, read on the caller's connection, in its transaction: a check and the change it
     * guards see the database in one transaction (the insured place's apply of a settlement).
     */
    default Optional<Filing> filing(java.sql.Connection connection, String filingId) throws java.sql.SQLException {
        return filing(filingId);
    }

    /** The person's filings, newest first, in every state. */
    List<Filing> forPerson(String psnNo);

    /**
     * The filing under which a visit admitted on {@code admissionDate} in {@code treatmentPlace}'s province may be
     * settled directly, checked now (a late filing made before the discharge settlement counts).
     */
    Optional<Filing> covering(String psnNo, Admdvs treatmentPlace, LocalDate admissionDate);

    /** As {@link #covering(String, Admdvs, LocalDate)}, read on the caller's connection, in its transaction. */
    default Optional<Filing> covering(java.sql.Connection connection, String psnNo, Admdvs treatmentPlace,
                                      LocalDate admissionDate) throws java.sql.SQLException {
        return covering(psnNo, treatmentPlace, admissionDate);
    }

    /**
     * Emergency rescue (急诊抢救) settles without a prior filing: records the {@code EMERGENCY} filing the visit
     * counts as, or returns the one already recorded for that day.
     */
    Filing emergency(String psnNo, Admdvs treatmentPlace, LocalDate admissionDate, Actor actor);
}
