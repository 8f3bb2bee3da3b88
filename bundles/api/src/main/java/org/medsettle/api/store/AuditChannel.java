package org.medsettle.api.store;

/** Where a business event came from. */
public enum AuditChannel {
    /** The appliance itself: start-up, schedules. */
    SYSTEM,
    /** An administrator in the Karaf console. */
    CONSOLE,
    /** A hospital through the HIS interface. */
    HIS,
    /** The filing API (online services, the agency's counter). */
    FILING_API,
    /** Another node or the hub through the national link. */
    LINK,
    /** A file dropped into an import folder. */
    FILE
}
