package org.medsettle.api.model;

/** State of a filing. Filings are never deleted: they end cancelled, expired or superseded. */
public enum FilingState {
    ACTIVE,
    CANCELLED,
    /** Derived from the dates: the validity period is over. */
    EXPIRED,
    /** A newer filing for the same person and treatment province replaced it. */
    SUPERSEDED
}
