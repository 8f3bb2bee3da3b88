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
