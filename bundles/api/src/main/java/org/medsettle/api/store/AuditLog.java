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

    /** The newest events first, at most {@code limit}, optionally only of one type. */
    List<AuditRecord> recent(int limit, Optional<String> type);
}
