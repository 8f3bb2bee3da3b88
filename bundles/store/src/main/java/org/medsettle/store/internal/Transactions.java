package org.medsettle.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.medsettle.api.store.StoreException;

/** One unit of work in one transaction: committed whole, or rolled back whole with a {@link StoreException}. */
final class Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * @param what for the error message, e.g. {@code "store the catalogue from x.csv"}
     * @throws StoreException if the work failed; nothing of it was committed
     */
    static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + ": " + SchemaMigrator.describe(e) + " (nothing was changed)", e);
        }
    }
}
