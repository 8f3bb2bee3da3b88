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
        OptionalLong sizeBytes(Connection connection, String location) throws SQLException {
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_database_size(current_database())");
                 ResultSet rs = st.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    },
    OTHER;

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
