package org.medsettle.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The few things that differ between the databases the store runs on. Everything else is plain SQL. */
enum Dialect {
    DERBY {
        @Override
        String location(String jdbcUrl) {
            String rest = stripAttributes(jdbcUrl.substring("jdbc:derby:".length()));
            return rest.startsWith("memory:") ? rest : Paths.get(rest).toAbsolutePath().normalize().toString();
        }

        @Override
        String binary(int maxBytes) {
            if (maxBytes > DERBY_MAX_VARBINARY) {
                throw new IllegalArgumentException("${binary(" + maxBytes + ")}: Derby keeps at most "
                        + DERBY_MAX_VARBINARY + " bytes in one VARCHAR FOR BIT DATA value");
            }
            return "VARCHAR(" + maxBytes + ") FOR BIT DATA";
        }

        @Override
        Optional<String> tune(Connection connection) throws SQLException {
            String wanted = Integer.toString(DERBY_REPLAN_INTERVAL);
            String now;
            try (PreparedStatement st = connection.prepareStatement(
                    "VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY('" + DERBY_REPLAN_PROPERTY + "')");
                 ResultSet rs = st.executeQuery()) {
                now = rs.next() ? rs.getString(1) : null;
            }
            if (wanted.equals(now)) {
                return Optional.empty();
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
                st.setString(1, DERBY_REPLAN_PROPERTY);
                st.setString(2, wanted);
                st.execute();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return Optional.of(DERBY_REPLAN_PROPERTY + " = " + wanted + " (was " + (now == null ? "Derby's default, 100"
                    : now) + "): a statement is planned again at most once per " + wanted + " executions");
        }

        @Override
        OptionalLong sizeBytes(Connection connection, String location) {
            Path dir = Paths.get(location);
            if (location.startsWith("memory:") || !Files.isDirectory(dir)) {
                return OptionalLong.empty();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return OptionalLong.of(files.filter(Files::isRegularFile).mapToLong(Dialect::size).sum());
            } catch (IOException e) {
                return OptionalLong.empty();
            }
        }
    },
    POSTGRESQL {
        @Override
        String binary(int maxBytes) {
            return "BYTEA";
        }

        @Override
        OptionalLong sizeBytes(Connection connection, String location) throws SQLException {
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_database_size(current_database())");
                 ResultSet rs = st.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    },
    OTHER;

    /**
     * How many executions of a statement Derby lets pass between two looks at whether the tables it reads have grown
     * or shrunk by more than a tenth since it was planned — and if so, plans and generates it again (a new class, run
     * interpreted until the JIT compiles it anew). With Derby's default of 100, on tables that grow by every
     * settlement a node re-planned its busiest statements every few thousand settlements, 22 of them in a run of 3,000
     * on a demo node 40,000 settlements old: CPU in Derby's compiler and the JIT for plans that came out the same
     * (issue 15, docs/performance.md). A plan is kept longer now, also one made on a new node's near-empty tables:
     * those of a stay are held to index plans on exactly such tables ({@code SettlementPlansTest}), and once per
     * 100,000 executions still follows a young node's growth. A JVM system property of the same name wins.
     */
    static final int DERBY_REPLAN_INTERVAL = 100_000;
    static final String DERBY_REPLAN_PROPERTY = "derby.language.stalePlanCheckInterval";

    /** The longest {@code VARCHAR FOR BIT DATA} Derby has. */
    static final int DERBY_MAX_VARBINARY = 32_672;

    /**
     * The one word of a migration that differs between the databases: {@code ${binary(n)}}, a column of at most
     * {@code n} bytes — Derby's {@code VARCHAR(n) FOR BIT DATA}, PostgreSQL's {@code BYTEA}. A long value kept as text
     * costs Derby one call per character to write ({@code SQLChar.writeUTF}); as bytes, one copy (issue 15).
     */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern BINARY = Pattern.compile("binary\\((\\d{1,6})\\)");

    static Dialect of(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("derby")) {
            return DERBY;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        return OTHER;
    }

    /** A migration's statement for this database: its placeholders ({@link #PLACEHOLDER}) replaced. */
    String expand(String sql) {
        if (sql.indexOf("${") < 0) {
            return sql;
        }
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        while (m.find()) {
            Matcher binary = BINARY.matcher(m.group(1).strip());
            if (!binary.matches()) {
                throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "} in a migration: the only "
                        + "one is ${binary(n)}, a column of at most n bytes");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(binary(Integer.parseInt(binary.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The type of a column of at most {@code maxBytes} bytes. */
    String binary(int maxBytes) {
        return "VARBINARY(" + maxBytes + ")";
    }

    /** Where the data lives, for people: a directory, or the URL without its attributes (never a password). */
    String location(String jdbcUrl) {
        return stripAttributes(jdbcUrl.replaceAll("//[^/@]*@", "//"));
    }

    OptionalLong sizeBytes(Connection connection, String location) throws SQLException {
        return OptionalLong.empty();
    }

    /**
     * Sets the database's own settings the store relies on, where they differ (Derby: {@link #DERBY_REPLAN_INTERVAL},
     * kept in the database; a JVM system property of the same name, in {@code EXTRA_JAVA_OPTS}, still wins).
     *
     * @return what was changed, for the log; empty if nothing was
     */
    Optional<String> tune(Connection connection) throws SQLException {
        return Optional.empty();
    }

    private static String stripAttributes(String url) {
        int semicolon = url.indexOf(';');
        String noAttributes = semicolon < 0 ? url : url.substring(0, semicolon);
        int query = noAttributes.indexOf('?');
        return query < 0 ? noAttributes : noAttributes.substring(0, query);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
