package org.medsettle.api.store;

/** An {@link AuditEvent} as stored, with the id the database gave it (ascending in order of recording). */
public record AuditRecord(long id, AuditEvent event) {
}
