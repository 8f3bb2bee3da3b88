package org.medsettle.api.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The strict CSV every import uses: UTF-8 (anything else is a problem, not a guess), exactly the expected
 * header (a byte-order mark is ignored), comma-separated lines with exactly the expected number of fields,
 * blank lines skipped. Problems are collected as {@code line N: what is wrong}; reading stops after
 * {@link #MAX_PROBLEMS}. A value may be quoted as a spreadsheet quotes it (RFC 4180): in double quotes, which may then
 * hold commas and, doubled ({@code ""}), a double quote; a quoted value ends on its line (no value holds a line break).
 * A double quote inside a value that does not begin with one is part of it.
 */
public final class CsvFile {

    public static final int MAX_PROBLEMS = 1000;

    /** Reads one well-formed line; adds its own problems, each starting with {@code at}. */
    @FunctionalInterface
    public interface RowReader {
        void read(String[] fields, String at);
    }

    private CsvFile() {
    }

    /**
     * @param progress told the number of data lines read, every 5,000 and at the end
     * @return how many data lines were read
     */
    public static int read(InputStream in, String header, int fieldCount, List<String> problems, IntConsumer progress,
                           RowReader rows) {
        int lineNo = 0;
        int data = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            String first = reader.readLine();
            lineNo++;
            if (first == null) {
                problems.add("line 1: the file is empty; expected the header " + header);
                return 0;
            }
            if (!header.equals(first.replace("\uFEFF", "").strip())) {
                problems.add("line 1: the header must be exactly " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                data++;
                if (data % 5000 == 0) {
                    progress.accept(data);
                }
                String at = "line " + lineNo + ": ";
                String[] fields;
                try {
                    fields = fields(line.strip());
                } catch (IllegalArgumentException e) {
                    problems.add(at + e.getMessage());
                    fields = null;
                }
                if (fields == null) {
                    // named above
                } else if (fields.length != fieldCount) {
                    problems.add(at + "expected " + fieldCount + " fields, found " + fields.length);
                } else {
                    rows.read(fields, at);
                }
                if (problems.size() >= MAX_PROBLEMS) {
                    problems.add("... stopped after " + MAX_PROBLEMS + " problems");
                    break;
                }
            }
        } catch (CharacterCodingException e) {
            problems.add("line " + (lineNo + 1) + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept(data);
        return data;
    }

    /**
     * The values of one line: split at commas, a value that begins with a double quote (after spaces) read up to its
     * closing quote, {@code ""} inside it standing for one double quote.
     *
     * @throws IllegalArgumentException naming the value, for a quote not closed on the line or text after a closing
     *                                  quote
     */
    static String[] fields(String line) {
        if (line.indexOf('"') < 0) {
            return line.split(",", -1);
        }
        List<String> values = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            int start = i;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("value " + (values.size() + 1) + " opens a quote that does "
                                + "not close on its line (no value may hold a line break)");
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        value.append(c);
                    } else if (i < n && line.charAt(i) == '"') {
                        value.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("value " + (values.size() + 1) + " has text after its closing "
                            + "quote (a double quote inside a quoted value is written twice: \"\")");
                }
                values.add(value.toString());
            } else {
                int comma = line.indexOf(',', i);
                i = comma < 0 ? n : comma;
                values.add(line.substring(start, i));
            }
            if (i >= n) {
                return values.toArray(String[]::new);
            }
            i++; // the comma
        }
    }
}
