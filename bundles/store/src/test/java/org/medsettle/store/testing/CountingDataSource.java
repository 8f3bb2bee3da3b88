package org.medsettle.store.testing;

import static org.medsettle.store.testing.JdbcProxies.call;
import static org.medsettle.store.testing.JdbcProxies.proxy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * A data source that counts the database work done through it: connections taken, transactions committed,
 * statements prepared or executed, and generated keys read back (Derby runs a statement of its own for each,
 * {@code VALUES IDENTITY_VAL_LOCAL()}). For tests that hold a unit of work to its budget of round trips.
 */
public final class CountingDataSource {

    /** What was counted since the last {@link #reset()}. */
    public record Counts(int connections, int commits, int statements, int generatedKeys) {
        @Override
        public String toString() {
            return connections + " connections, " + commits + " commits, " + statements + " statements, "
                    + generatedKeys + " generated-key reads";
        }
    }

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger generatedKeys = new AtomicInteger();
    private final java.util.List<String> prepared = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final DataSource counted;

    public CountingDataSource(DataSource target) {
        this.counted = proxy(DataSource.class, target, (t, method, args) -> {
            Object result = call(t, method, args);
            if (method.getName().equals("getConnection")) {
                connections.incrementAndGet();
                return connection((Connection) result);
            }
            return result;
        });
    }

    /** The data source to give the code under test. */
    public DataSource dataSource() {
        return counted;
    }

    public Counts counts() {
        return new Counts(connections.get(), commits.get(), statements.get(), generatedKeys.get());
    }

    /** The SQL of every statement prepared since the last {@link #reset()}, in order: what a count is made of. */
    public java.util.List<String> prepared() {
        synchronized (prepared) {
            return java.util.List.copyOf(prepared);
        }
    }

    public void reset() {
        prepared.clear();
        connections.set(0);
        commits.set(0);
        statements.set(0);
        generatedKeys.set(0);
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (t, method, args) -> {
            Object result = call(t, method, args);
            switch (method.getName()) {
                case "commit" -> commits.incrementAndGet();
                case "prepareStatement", "prepareCall" -> {
                    statements.incrementAndGet();
                    prepared.add((String) args[0]);
                    return statement(PreparedStatement.class, (PreparedStatement) result, false);
                }
                case "createStatement" -> {
                    return statement(Statement.class, (Statement) result, true);
                }
                default -> {
                }
            }
            return result;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S s, boolean countEachExecution) {
        return proxy(type, s, (t, method, args) -> {
            Object result = call(t, method, args);
            String name = method.getName();
            if (name.equals("getGeneratedKeys")) {
                generatedKeys.incrementAndGet();
            } else if (countEachExecution && name.startsWith("execute")) {
                statements.incrementAndGet();
            }
            return result;
        });
    }
}
