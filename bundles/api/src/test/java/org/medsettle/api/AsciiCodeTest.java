package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class AsciiCodeTest {

    private static final AsciiCode SERIAL = new AsciiCode(30, "_-");

    @Test
    void lettersDigitsAndTheNamedPunctuationUpToTheMostCharactersAreACode() {
        assertTrue(SERIAL.matches("H33030000001_2026-1"));
        assertTrue(SERIAL.matches("x".repeat(30)));
        assertFalse(SERIAL.matches(""));
        assertFalse(SERIAL.matches("x".repeat(31)));
        assertFalse(SERIAL.matches("a.b"), "a point is not named");
        assertFalse(SERIAL.matches("a b"));
        assertFalse(SERIAL.matches("ａ"), "a full-width letter is not ASCII");
        assertFalse(SERIAL.matches("٣"), "nor is an Arabic-Indic digit, which Character.isDigit takes");
    }

    @Test
    void itAgreesWithItsRegularExpressionOnRandomText() {
        AsciiCode code = new AsciiCode(8, "._-");
        java.util.regex.Pattern regex = code.pattern();
        assertEquals("[0-9A-Za-z\\.\\_\\-]{1,8}", regex.pattern());
        String alphabet = "aZ09._-/ \t:é中\u0000+";
        Random random = new Random(47);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = random.nextInt(11); k > 0; k--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertEquals(regex.matcher(s).matches(), code.matches(s), () -> "'" + s + "'");
        }
    }

    @Test
    void punctuationThatIsALetterADigitOrNotPrintableAsciiIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AsciiCode(5, "a"));
        assertThrows(IllegalArgumentException.class, () -> new AsciiCode(5, " "));
        assertThrows(IllegalArgumentException.class, () -> new AsciiCode(0, "-"));
    }
}
