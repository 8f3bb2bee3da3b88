package org.medsettle.api.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The strict CSV every import uses: UTF-8 (anything else is a problem, not a guess), exactly the expected
 * header (a byte-order mark is ignored), comma-separated lines with exactly the expected number of fields,
 * blank lines skipped. Problems are collected as {@code line N: what is wrong}; reading stops after
 * {@link #MAX_PROBLEMS}. No quoting: the national code lists carry no commas inside fields, and a double quote is
 * part of the value it stands in (a line that a spreadsheet quoted because a value held a comma has too many fields,
 * and its problem says why).
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
                String[] fields = line.strip().split(",", -1);
                if (fields.length != fieldCount) {
                    // a spreadsheet quotes a value holding a comma; this format has no quoting, so say so
                    problems.add(at + "expected " + fieldCount + " fields, found " + fields.length
                            + (line.indexOf('"') >= 0 ? " (values are not quoted in this format: no value may hold a "
                            + "comma)" : ""));
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
}
