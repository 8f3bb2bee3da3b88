package org.medsettle.treatment.internal.his;

/**
 * Where a HIS transaction reads its msgid's record (is it a repeat of an answered request?), declared with its handler
 * in {@link HisService}'s table of transactions: one read, in the place that costs the fewest transactions, and never
 * after work a repeat must not do.
 */
enum MsgidLookUp {

    /** In a read-only transaction of its own before the handler runs: what every transaction does unless named below. */
    BEFORE,

    /**
     * First inside the one transaction that commits the request's work ({@code Envelopes.commit}): for transactions
     * whose database work is that one commit, after checks of their input alone (a repeat gets its first answer there
     * and nothing is written). A request refused on its input before that transaction is looked up afterwards, so
     * that an answered msgid still gets its first answer and a reused one its refusal.
     */
    IN_ITS_COMMIT,

    /**
     * By the handler itself, in its first transaction together with the visit: a settlement (2304, 2207) and a
     * pre-settlement (2303, 2206). A request refused on its input before that transaction is looked up afterwards.
     */
    BY_ITS_HANDLER
}
