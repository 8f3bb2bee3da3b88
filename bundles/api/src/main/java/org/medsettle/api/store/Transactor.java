package org.medsettle.api.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Units of work on the node's database, each in one transaction: committed whole and durably, or rolled back
 * whole. The schema belongs to the store (its migrations); the bundles that own a part of it (hospitals, filings,
 * node, link, hub) write their own SQL through this service.
 */
public interface Transactor {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction. A {@link RuntimeException} thrown by the work rolls the transaction
     * back and is rethrown unchanged (business refusals stay what they are).
     *
     * @param what for the error message, e.g. {@code "settle visit 3301…"}
     * @throws StoreException if the database failed; nothing of the work was committed
     */
    <T> T inTransaction(String what, Work<T> work);

    /**
     * The next number of a named sequence ({@code mdtrt_id}, {@code setl_id}, ...): unique across every process
     * sharing the database, increasing within one process, never reused. Numbers are reserved in blocks, so a
     * restart leaves a gap.
     */
    long nextId(String sequence);
}
