package org.medsettle.treatment.internal.his;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * What Derby costs to write and read a long value as text ({@code VARCHAR}, which it writes one character at a time)
 * against the same value as bytes ({@code VARCHAR … FOR BIT DATA}, one copy) (issue 15, session 26): an upload's fee
 * lines (about 2,700 characters for 30 lines, {@code fee_upload.lines}) and a settlement's kept answer (about 700
 * characters of base64, 520 bytes of gzip, {@code his_message.response_gz}). Inserts {@code rows} rows a round into
 * tables of an on-disk database (its log not forced), one commit per row, then reads each back by key; six rounds; prints the wall time per row (one
 * thread: the CPU time). Not JMH: a per-statement difference of microseconds, read once the rounds agree. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar org.medsettle.treatment.internal.his.LongValueCost}
 */
public final class LongValueCost {

    private LongValueCost() {
    }

    public static void main(String[] args) throws SQLException {
        int rows = 10_000;
        Random random = new Random(26);
        StringBuilder lines = new StringBuilder("1");
        for (int i = 0; i < 30; i++) {
            lines.append("\nFD").append(100000 + i).append("\tXA01").append(random.nextInt(1_000_000))
                    .append("\tHOSP-").append(random.nextInt(100_000)).append("\t2026-11-0").append(1 + i % 9)
                    .append("T10:").append(10 + i).append(":00\t").append(random.nextInt(1000)).append(".000000\t1.0000\t")
                    .append(random.nextInt(100_000)).append("\t0\t0\t0\t").append(random.nextInt(100_000)).append("\t01\t");
        }
        byte[] answer = new byte[520];
        random.nextBytes(answer);
        String answerText = java.util.Base64.getEncoder().encodeToString(answer);
        // on disk (a temporary directory, removed after), the log not forced: the CPU of writing, not the disk's waits
        System.setProperty("derby.system.durability", "test");
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("long-value-cost");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:derby:" + dir.resolve("db") + ";create=true")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE as_text (id INT PRIMARY KEY, v VARCHAR(32000) NOT NULL)");
                s.execute("CREATE TABLE as_bytes (id INT PRIMARY KEY, v VARCHAR(32000) FOR BIT DATA NOT NULL)");
            }
            c.commit();
            String[] values = {lines.toString(), answerText};
            byte[][] bytes = {lines.toString().getBytes(StandardCharsets.UTF_8), answer};
            String[] names = {"fee lines (" + values[0].length() + " chars, " + bytes[0].length + " bytes)",
                    "kept answer (" + values[1].length() + " chars of base64, " + bytes[1].length + " bytes)"};
            int id = 0; // the same keys every round: the tables emptied after each
            for (int round = 1; round <= 6; round++) {
                for (int k = 0; k < 2; k++) {
                    double[] text = run(c, "as_text", id, rows, values[k], null);
                    double[] binary = run(c, "as_bytes", id, rows, null, bytes[k]);
                    try (Statement s = c.createStatement()) {
                        s.execute("DELETE FROM as_text");
                        s.execute("DELETE FROM as_bytes");
                    }
                    c.commit();
                    System.out.printf("round %d, %s: insert %.1f µs as text, %.1f as bytes; read %.1f / %.1f µs%n",
                            round, names[k], text[0], binary[0], text[1], binary[1]);
                }
            }
        } finally {
            try {
                DriverManager.getConnection("jdbc:derby:;shutdown=true");
            } catch (SQLException expected) {
                // Derby answers its shutdown with an exception
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }

    /** Inserts {@code rows} rows from {@code first} (one commit each), then reads them: µs per row for each. */
    private static double[] run(Connection c, String table, int first, int rows, String text, byte[] bytes)
            throws SQLException {
        long t0 = System.nanoTime();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (int i = first; i < first + rows; i++) {
                p.setInt(1, i);
                if (text != null) {
                    p.setString(2, text);
                } else {
                    p.setBytes(2, bytes);
                }
                p.executeUpdate();
                c.commit();
            }
        }
        long t1 = System.nanoTime();
        long seen = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
            for (int i = first; i < first + rows; i++) {
                p.setInt(1, i);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    seen += text != null ? rs.getString(1).length() : rs.getBytes(1).length;
                }
            }
            c.commit();
        }
        long t2 = System.nanoTime();
        if (seen == 0) {
            throw new IllegalStateException("nothing read");
        }
        return new double[] {(t1 - t0) / 1000.0 / rows, (t2 - t1) / 1000.0 / rows};
    }
}
