package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import org.medsettle.api.ledger.Posting;

/**
 * Where a settlement's ledger entries go, in the settlement's own transaction: the ledger
 * ({@link org.medsettle.api.ledger.Ledger}), whose tables the ledger bundle alone writes.
 */
interface SettlementLedger {

    void post(Connection transaction, Posting posting) throws SQLException;

    Optional<Posting> posted(Connection transaction, String kind, String reference) throws SQLException;

    /** The entries of a settlement row committed here (a reversal's with its negated amounts), if a fund paid. */
    default void settled(Connection transaction, Rows.Settlement s) throws SQLException {
        Optional<Posting> p = Posting.atTreatment(Posting.SETTLED, s.setlId(), s.insuredPlace(), s.hospital(),
                s.amounts());
        if (p.isPresent()) {
            post(transaction, p.get());
        }
    }

    /** A committed settlement taken back (2601): the opposite of what it posted. */
    default void corrected(Connection transaction, String setlId) throws SQLException {
        Optional<Posting> p = posted(transaction, Posting.SETTLED, setlId);
        if (p.isPresent()) {
            post(transaction, p.get().opposite(Posting.CORRECTED));
        }
    }
}
