package org.medsettle.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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

    /** What the store's meters see of transactions (bundle medsettle-metrics); {@link #NONE}: nothing. */
    interface Observer {
        /** A connection was taken from the pool after waiting {@code nanos}; it is in use until {@link #returned}. */
        void borrowed(long nanos);

        void returned();

        /** A transaction lost a lock conflict and runs again. */
        void retried();

        /** A transaction failed: nothing of it was committed. */
        void failed();

        Observer NONE = new Observer() {
            public void borrowed(long nanos) {
            }

            public void returned() {
            }

            public void retried() {
            }

            public void failed() {
            }
        };
    }

    /** How often a transaction that lost a lock conflict is run again before the caller hears of it. */
    static final int ATTEMPTS = 4;

    /**
     * Runs {@code work} in one transaction. A transaction that lost a lock conflict — a lock wait timeout
     * ({@code 40XL1}, {@code 40XL2}) or a deadlock victim ({@code 40001}) — was rolled back whole and is run again,
     * at once, up to {@value #ATTEMPTS} times (the transaction that won now holds the locks, and the new attempt waits
     * for them in Derby's lock manager like any other): the caller (a hospital at the cashier's desk) does
     * not see a conflict between two requests that each would have succeeded alone. The work must therefore do
     * nothing but database work on the connection, and start afresh (a collection it fills is emptied at its start).
     *
     * @param what for the error message, e.g. {@code "store the catalogue from x.csv"}
     * @throws StoreException if the work failed; nothing of it was committed
     */
    static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        return inTransaction(dataSource, what, work, Observer.NONE);
    }

    /** As {@link #inTransaction(DataSource, String, Work)}, telling {@code observer}. */
    static <T> T inTransaction(DataSource dataSource, String what, Work<T> work, Observer observer) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(dataSource, work, observer);
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && lockConflict(e)) {
                    observer.retried();
                    continue;
                }
                observer.failed();
                throw new StoreException("cannot " + what + ": " + SchemaMigrator.describe(e) + " (nothing was changed)"
                        + (lockConflict(e) ? " after " + attempt + " attempts" : ""), e);
            }
        }
    }

    private static <T> T once(DataSource dataSource, Work<T> work, Observer observer) throws SQLException {
        long asked = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            observer.borrowed(System.nanoTime() - asked);
            try {
                return run(c, work);
            } finally {
                observer.returned();
            }
        }
    }

    private static <T> T run(Connection c, Work<T> work) throws SQLException {
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

    /**
     * Whether the transaction was rolled back because another held a lock it needed: Derby's lock timeout (40XL1)
     * and deadlock (40XL2), a serialization failure (40001), PostgreSQL's deadlock (40P01) and lock not available
     * (55P03).
     */
    static boolean lockConflict(SQLException e) {
        return chain(e).stream().filter(SQLException.class::isInstance).map(t -> ((SQLException) t).getSQLState())
                .anyMatch(state -> "40XL1".equals(state) || "40XL2".equals(state) || "40001".equals(state)
                        || "40P01".equals(state) || "55P03".equals(state));
    }

    /** An exception, its next exceptions (where drivers put the reason) and their causes, each once. */
    static List<Throwable> chain(SQLException e) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>(List.of(e));
        List<Throwable> all = new java.util.ArrayList<>();
        while (!todo.isEmpty() && all.size() < 20) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            all.add(t);
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                todo.push(sql.getNextException());
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
        }
        return all;
    }
}
