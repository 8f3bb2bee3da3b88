package org.medsettle.store.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One schema migration: a version, a description and a script of SQL statements each ending with {@code ;}
 * at the end of a line. Lines starting with {@code --} are comments.
 */
record Migration(int version, String description, String script) {

    private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    Migration {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
        if (version < 1) {
            throw new IllegalArgumentException("migration version must be ≥ 1: " + version);
        }
    }

    /** Builds a migration from a file name such as {@code V2__add_filings.sql} and its text. */
    static Migration fromFile(String fileName, String script) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("migration file name must look like V<n>__<words>.sql: " + fileName);
        }
        return new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), script);
    }

    /** SHA-256 of the script with line endings normalised, to notice a released migration edited later. */
    String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(script.replace("\r\n", "\n").strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** The statements of the script, without comments and without the trailing {@code ;}. */
    List<String> statements() {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            if (trimmed.endsWith(";")) {
                current.append(line, 0, line.lastIndexOf(';'));
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(line);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("migration V" + version + " ends without ';' after: " + current.toString().strip());
        }
        return statements;
    }
}
