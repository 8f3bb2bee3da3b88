package org.medsettle.api.store;

import java.time.Duration;

/**
 * Work that one instance of a node does for all instances sharing its database (several instances of one province
 * on PostgreSQL): draining the outbox in order, publishing the person index, running a clearing. Whoever holds a
 * named lease does it; a holder renews it each time it works, and another instance takes it over once it has not
 * been renewed for its time (the holder stopped or was killed). On embedded Derby there is one instance: it always
 * holds every lease.
 */
public interface Leases {

    /**
     * Takes or renews lease {@code name} for this instance for {@code ttl}.
     *
     * @return true if this instance holds it now (and may do the work until {@code ttl} has passed), false if another
     *         instance holds it
     */
    boolean hold(String name, Duration ttl);

    /** Gives lease {@code name} up if this instance holds it (on a clean stop: another instance takes over at once). */
    void release(String name);

    /** Who holds what: name, holder (host:pid:start), until when. */
    java.util.List<Lease> leases();

    /** A lease as the database holds it. */
    record Lease(String name, String holder, java.time.Instant expiresAt, java.time.Instant acquiredAt) {
    }

    /** This instance's name as a holder: {@code host:pid:start}. */
    String holderName();
}
