package org.medsettle.treatment.internal.his;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by {@code mdtrt_id}: within this node, the settlement, the reversal and the correction of one visit
 * never run at the same time (the database's row locks guard across nodes).
 */
final class VisitLocks {

    private final ReentrantLock[] locks = new ReentrantLock[256];

    VisitLocks() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String mdtrtId) {
        return locks[Math.floorMod(mdtrtId.hashCode(), locks.length)];
    }
}
