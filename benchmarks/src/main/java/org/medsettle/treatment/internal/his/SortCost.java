package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What Derby's sorter costs a look-up by key of one row (issue 15, session 25): {@code SELECT … FROM settlement WHERE
 * msgid = ?} with and without {@code ORDER BY created_at}, on an in-memory table of 50,000 settlements, executed
 * 200,000 times each in turn for six rounds on one connection; prints the wall time per execution (one thread: the
 * CPU time). Not JMH: a per-statement difference of a few microseconds, read once the rounds agree. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.treatment.internal.his.SortCost}
 */
public final class SortCost {

    private SortCost() {
    }

    public static void main(String[] args) throws SQLException {
        int rows = 50_000;
        int executions = 200_000;
        try (Connection c = DriverManager.getConnection("jdbc:derby:memory:sort-cost;create=true")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE settlement (setl_id VARCHAR(40) PRIMARY KEY, msgid VARCHAR(40), "
                        + "state VARCHAR(10), data VARCHAR(2000), created_at TIMESTAMP)");
                s.execute("CREATE INDEX settlement_msgid ON settlement (msgid)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO settlement VALUES (?, ?, 'SETTLED', ?, "
                    + "CURRENT_TIMESTAMP)")) {
                for (int i = 0; i < rows; i++) {
                    p.setString(1, "S" + i);
                    p.setString(2, "M" + i);
                    p.setString(3, "x".repeat(300));
                    p.addBatch();
                    if (i % 1000 == 999) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            String base = "SELECT setl_id, state, data, created_at FROM settlement WHERE msgid = ?";
            try (PreparedStatement sorted = c.prepareStatement(base + " ORDER BY created_at");
                 PreparedStatement plain = c.prepareStatement(base)) {
                for (int round = 1; round <= 6; round++) {
                    double withSort = perExecution(sorted, executions, rows);
                    double without = perExecution(plain, executions, rows);
                    System.out.printf("round %d: ORDER BY %.2f µs, without %.2f µs, the sort %.2f µs%n", round,
                            withSort, without, withSort - without);
                }
            }
        }
    }

    private static double perExecution(PreparedStatement p, int executions, int rows) throws SQLException {
        long t0 = System.nanoTime();
        for (int i = 0; i < executions; i++) {
            p.setString(1, "M" + (int) ((long) i * 7919 % rows));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rs.getTimestamp(4);
                }
            }
        }
        return (System.nanoTime() - t0) / 1000.0 / executions;
    }
}
