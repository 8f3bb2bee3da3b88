package org.medsettle.api.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvFileTest {

    private final List<String> problems = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();
    private final List<Integer> progress = new ArrayList<>();

    private int read(byte[] bytes) {
        return CsvFile.read(new ByteArrayInputStream(bytes), "a,b", 2, problems, progress::add,
                (f, at) -> rows.add(at + f[0] + "|" + f[1]));
    }

    private int read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedLinesReachTheRowReaderWithTheirLineNumbers() {
        assertEquals(2, read("\uFEFFa,b\n1,2\n\n3, \n"));
        assertEquals(List.of("line 2: 1|2", "line 4: 3|"), rows);
        assertEquals(List.of(), problems);
        assertEquals(List.of(2), progress);
    }

    @Test
    void aWrongHeaderOrFieldCountIsAProblemAndTheOtherLinesAreStillRead() {
        assertEquals(2, read("x,y\n1\n2,3\n"));
        assertEquals(List.of("line 1: the header must be exactly a,b", "line 2: expected 2 fields, found 1"), problems);
        assertEquals(List.of("line 3: 2|3"), rows);
    }

    @Test
    void aValueASpreadsheetQuotedBecauseItHeldACommaOrAQuoteIsReadAsTheValueItStandsFor() {
        assertEquals(4, read("a,b\n\"1,5\",2\n\"x\",\"say \"\"hi\"\"\"\n \"\" , \"\"\"\"\n12\"x,\"y\"\n"));
        assertEquals(List.of(), problems);
        assertEquals(List.of("line 2: 1,5|2", "line 3: x|say \"hi\"", "line 4: |\"", "line 5: 12\"x|y"), rows);
    }

    @Test
    void aQuoteThatDoesNotCloseOnItsLineOrTextAfterAClosingQuoteIsAProblemNamingTheValue() {
        assertEquals(3, read("a,b\n1,\"open\n\"x\"y,2\n\"1,5\",2,3\n"));
        assertEquals(List.of("line 2: value 2 opens a quote that does not close on its line (no value may hold a line "
                        + "break)",
                "line 3: value 1 has text after its closing quote (a double quote inside a quoted value is written "
                        + "twice: \"\")",
                "line 4: expected 2 fields, found 3"), problems);
        assertEquals(List.of(), rows);
    }

    @Test
    void anEmptyFileIsAProblem() {
        assertEquals(0, read(""));
        assertTrue(problems.get(0).startsWith("line 1: the file is empty"));
    }

    @Test
    void textThatIsNotUtf8IsAProblemNotAGuess() {
        read("a,b\ncaf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(problems.get(0).contains("not UTF-8"), problems.toString());
    }

    @Test
    void readingStopsAfterTheProblemCap() {
        read("a,b\n" + "x\n".repeat(CsvFile.MAX_PROBLEMS + 50));
        assertEquals(CsvFile.MAX_PROBLEMS + 1, problems.size());
        assertTrue(problems.get(problems.size() - 1).startsWith("... stopped after"));
    }
}
