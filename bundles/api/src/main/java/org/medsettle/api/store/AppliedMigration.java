package org.medsettle.api.store;

import java.time.Instant;

/** A schema migration recorded in the database: its version, what it did, when, and its script's checksum. */
public record AppliedMigration(int version, String description, String checksum, Instant appliedAt) {
}
