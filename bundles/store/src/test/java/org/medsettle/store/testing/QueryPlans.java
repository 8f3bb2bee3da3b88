package org.medsettle.store.testing;

import static org.medsettle.store.testing.JdbcProxies.call;
import static org.medsettle.store.testing.JdbcProxies.proxy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.medsettle.store.internal.StoreComponent;

/**
 * A Derby data source that keeps the plan Derby ran for every statement prepared through it — its runtime statistics
 * ({@code SYSCS_UTIL.SYSCS_GET_RUNTIMESTATISTICS}), read on the same connection when the query's result set is closed
 * or the update has run. For tests that hold a statement to how many rows it reads, whatever the table holds: a
 * count of rows read, not a time.
 */
public final class QueryPlans {

    /** What Derby did for one execution of {@code sql}. */
    public record Plan(String sql, String text) {

        private static final Pattern VISITED = Pattern.compile("Number of rows visited=(\\d+)");
        private static final Pattern DELETED = Pattern.compile("Number of deleted rows visited=(\\d+)");

        /**
         * The live rows the statement's scans visited, summed over its scans (index and table): without the entries
         * of rows deleted or moved that Derby has not reclaimed yet (its background work, when it gets to it).
         */
        public long rowsVisited() {
            return sum(VISITED) - sum(DELETED);
        }

        private long sum(Pattern counted) {
            long sum = 0;
            Matcher m = counted.matcher(text);
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
            return sum;
        }

        /** Whether it read a table from end to end rather than through an index. */
        public boolean scansATable() {
            return text.contains("Table Scan ResultSet");
        }

        /** Whether it sorted what it read. */
        public boolean sorts() {
            return text.contains("Sort ResultSet");
        }

        /**
         * This plan, if it read through indexes only and visited at most {@code rows} live rows.
         *
         * @throws AssertionError a table scan or more rows, with the plan
         */
        public Plan indexedVisitingAtMost(long rows) {
            if (scansATable() || rowsVisited() > rows) {
                throw new AssertionError("at most " + rows + " rows through an index expected: " + this + "\n" + text);
            }
            return this;
        }

        /**
         * This plan, if it sorted nothing.
         *
         * @throws AssertionError a sort, with the plan
         */
        public Plan unsorted() {
            if (sorts()) {
                throw new AssertionError("no sort expected: " + this + "\n" + text);
            }
            return this;
        }

        @Override
        public String toString() {
            return sql + " — " + rowsVisited() + " rows visited" + (scansATable() ? ", a table scan" : "")
                    + (sorts() ? ", a sort" : "");
        }
    }

    private final List<Plan> plans = java.util.Collections.synchronizedList(new ArrayList<>());
    private final DataSource recording;

    private QueryPlans(DataSource target) {
        this.recording = proxy(DataSource.class, target, (t, method, args) -> {
            Object result = call(t, method, args);
            if (method.getName().equals("getConnection")) {
                Connection c = (Connection) result;
                try (Statement s = c.createStatement()) {
                    s.execute("CALL SYSCS_UTIL.SYSCS_SET_RUNTIMESTATISTICS(1)");
                }
                return connection(c);
            }
            return result;
        });
    }

    /** A store on a new in-memory Derby database, every plan kept. */
    public static Recorded freshDerby() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:plans-" + UUID.randomUUID());
        ds.setCreateDatabase("create");
        QueryPlans plans = new QueryPlans(ds);
        return new Recorded(new StoreComponent(plans.recording), plans);
    }

    /** A store whose statements' plans are kept. */
    public record Recorded(StoreComponent store, QueryPlans plans) {
    }

    /** The plans kept since the last {@link #reset()}, in the order the statements ran. */
    public List<Plan> plans() {
        synchronized (plans) {
            return List.copyOf(plans);
        }
    }

    /** The plans of statements whose SQL contains {@code fragment}. */
    public List<Plan> of(String fragment) {
        return plans().stream().filter(p -> p.sql().contains(fragment)).toList();
    }

    /**
     * The plan of the one statement whose SQL contains {@code fragment} since the last {@link #reset()}.
     *
     * @throws AssertionError none or more than one ran, naming those that did
     */
    public Plan single(String fragment) {
        List<Plan> matching = of(fragment);
        if (matching.size() != 1) {
            throw new AssertionError("one statement on " + fragment + " expected, " + matching.size() + " ran: "
                    + matching);
        }
        return matching.get(0);
    }

    public void reset() {
        plans.clear();
    }

    private Connection connection(Connection c) {
        return proxy(Connection.class, c, (t, method, args) -> {
            Object result = call(t, method, args);
            if (method.getName().equals("prepareStatement")) {
                return statement(c, (String) args[0], (PreparedStatement) result);
            }
            return result;
        });
    }

    private PreparedStatement statement(Connection c, String sql, PreparedStatement s) {
        return proxy(PreparedStatement.class, s, (t, method, args) -> {
            Object result = call(t, method, args);
            switch (method.getName()) {
                case "executeQuery" -> {
                    ResultSet rs = (ResultSet) result;
                    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
                    return proxy(ResultSet.class, rs, (r, m, a) -> {
                        Object value = call(r, m, a);
                        // once: the statistics read here are then those of the VALUES that read them
                        if (m.getName().equals("close") && closed.compareAndSet(false, true)) {
                            record(c, sql);
                        }
                        return value;
                    });
                }
                case "executeUpdate", "executeBatch", "execute" -> record(c, sql);
                default -> {
                }
            }
            return result;
        });
    }

    private void record(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("VALUES SYSCS_UTIL.SYSCS_GET_RUNTIMESTATISTICS()")) {
            if (rs.next() && rs.getString(1) != null) {
                plans.add(new Plan(sql, rs.getString(1)));
            }
        }
    }
}
