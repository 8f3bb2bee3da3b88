package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HealthCommandTest {

    @Test
    void aLongDetailIsBrokenBetweenWordsAndNothingIsLost() {
        String detail = "medsettle-assisted-audit v1, medsettle-clearing v2, medsettle-hub v3, medsettle-insured v1, "
                + "medsettle-ledger v1, medsettle-maintenance v1, medsettle-supervision v1, medsettle-treatment v1";
        List<String> lines = HealthCommand.lines(detail, 60);
        assertTrue(lines.size() > 1);
        lines.forEach(l -> assertTrue(l.length() <= 60, l));
        assertEquals(detail, String.join(" ", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("medsettle-supervision v1,")), lines.toString());
    }

    @Test
    void aShortDetailOrAWordLongerThanTheWidthStaysWhole() {
        assertEquals(List.of("OK"), HealthCommand.lines("OK", 60));
        assertEquals(List.of(""), HealthCommand.lines(null, 60));
        assertEquals(List.of("abcde", "fgh"), HealthCommand.lines("abcdefgh", 5));
    }
}
