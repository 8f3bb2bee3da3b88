package org.medsettle.store.internal;

/** The schema could not be brought to the version this bundle needs; the message says why and what to do. */
final class MigrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MigrationException(String message) {
        super(message);
    }

    MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
