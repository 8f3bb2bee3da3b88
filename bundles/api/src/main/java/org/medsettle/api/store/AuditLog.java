package org.medsettle.api.store;

import java.util.List;
import java.util.Optional;

/** The audit trail of business events, kept in the database for ever. */
public interface AuditLog {

    /**
     * Records an event durably before returning.
     *
     * @return the stored record with its id
     * @throws StoreException if it could not be stored
     */
    AuditRecord record(AuditEvent event);

    /**
     * Records an event on the caller's connection, inside the caller's transaction: the change and its audit record
     * are committed together or not at all (use this wherever the change is made in a {@link Transactor} unit).
     *
     * @throws java.sql.SQLException if it could not be written; the caller's transaction then rolls back
     */
    AuditRecord record(java.sql.Connection connection, AuditEvent event) throws java.sql.SQLException;

    /**
     * As {@link #record(java.sql.Connection, AuditEvent)}, for a caller that has no use for the record's id: the id
     * is not read back (on Derby a statement of its own), which a settlement's transaction saves.
     *
     * @throws java.sql.SQLException if it could not be written; the caller's transaction then rolls back
     */
    default void append(java.sql.Connection connection, AuditEvent event) throws java.sql.SQLException {
        record(connection, event);
    }

    /** The newest events first, at most {@code limit}, optionally only of one type. */
    List<AuditRecord> recent(int limit, Optional<String> type);
}
