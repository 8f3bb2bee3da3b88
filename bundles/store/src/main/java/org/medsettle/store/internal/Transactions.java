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

    /** How often a transaction that lost a lock conflict is run again before the caller hears of it. */
    static final int ATTEMPTS = 4;

    /**
     * Runs {@code work} in one transaction. A transaction that lost a lock conflict — a lock wait timeout
     * ({@code 40XL1}, {@code 40XL2}) or a deadlock victim ({@code 40001}) — was rolled back whole and is run again,
     * up to {@value #ATTEMPTS} times, after a short random pause: the caller (a hospital at the cashier's desk) does
     * not see a conflict between two requests that each would have succeeded alone. The work must therefore do
     * nothing but database work on the connection, which every caller's does.
     *
     * @param what for the error message, e.g. {@code "store the catalogue from x.csv"}
     * @throws StoreException if the work failed; nothing of it was committed
     */
    static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(dataSource, work);
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && lockConflict(e)) {
                    pause(attempt);
                    continue;
                }
                throw new StoreException("cannot " + what + ": " + SchemaMigrator.describe(e) + " (nothing was changed)"
                        + (lockConflict(e) ? " after " + attempt + " attempts" : ""), e);
            }
        }
    }

    private static <T> T once(DataSource dataSource, Work<T> work) throws SQLException {
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
        }
    }

    /** Whether the transaction was rolled back because another held a lock it needed. */
    static boolean lockConflict(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if ("40XL1".equals(state) || "40XL2".equals(state) || "40001".equals(state)) {
                return true;
            }
            if (x.getCause() instanceof SQLException cause && cause != x.getNextException()) {
                return lockConflict(cause);
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(5L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextLong(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
