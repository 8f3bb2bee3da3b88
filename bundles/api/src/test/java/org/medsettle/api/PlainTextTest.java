package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class PlainTextTest {

    @Test
    void chineseLettersDigitsPunctuationSymbolsAndPairedCharactersArePlain() {
        for (String text : new String[] {"随子女异地居住（已提交承诺书）", "Referral — 转诊 № 7, 50 %", "clerk-07_a", "👍 ok",
                "𠀀字", "", " leading and trailing ", "ünïcödé ©®™"}) {
            assertEquals(Optional.empty(), PlainText.problem(text), text);
        }
        assertEquals(Optional.empty(), PlainText.problem(null));
    }

    @Test
    void controlCharactersDirectionMarksSeparatorsAndLoneSurrogatesAreNamedWithTheirPlace() {
        assertEquals(Optional.of("U+001B (a control character) at character 3"), PlainText.problem("ab\u001b[2J"));
        assertEquals(Optional.of("U+0000 (a control character) at character 1"), PlainText.problem("\u0000"));
        assertEquals(Optional.of("U+000A (a control character) at character 5"), PlainText.problem("个人承诺\n"));
        assertEquals(Optional.of("U+000D (a control character) at character 2"), PlainText.problem("a\rb"));
        assertEquals(Optional.of("U+0009 (a control character) at character 2"), PlainText.problem("a\tb"));
        assertEquals(Optional.of("U+007F (a control character) at character 1"), PlainText.problem("\u007f"));
        assertEquals(Optional.of("U+009B (a control character) at character 1"), PlainText.problem("\u009b31m"));
        assertEquals(Optional.of("U+202E (a mark that changes the direction text is shown in) at character 6"),
                PlainText.problem("clerk\u202e7-"));
        assertEquals(Optional.of("U+2066 (a mark that changes the direction text is shown in) at character 1"),
                PlainText.problem("\u2066x"));
        assertEquals(Optional.of("U+200F (a mark that changes the direction text is shown in) at character 1"),
                PlainText.problem("\u200fx"));
        assertEquals(Optional.of("U+2028 (a line or paragraph separator) at character 2"), PlainText.problem("a\u2028b"));
        assertEquals(Optional.of("U+D800 (half of a UTF-16 pair) at character 2"), PlainText.problem("a\ud800b"));
        assertEquals(Optional.of("U+DC00 (half of a UTF-16 pair) at character 1"), PlainText.problem("\udc00"));
        // the place counts characters as a reader does: the emoji before is one
        assertEquals(Optional.of("U+001B (a control character) at character 2"), PlainText.problem("👍\u001b"));
    }

    @Test
    void aRefusalNamesTheField() {
        assertEquals(Optional.of("reason: U+0007 (a control character) at character 1; text may hold only characters "
                + "meant to be read, on one line"), PlainText.refusal("reason", "\u0007"));
        assertEquals(Optional.empty(), PlainText.refusal("reason", "fine"));
    }

    @Test
    void textIsShownWithEveryCharacterThatIsNotPlainReplacedByItsCode() {
        assertEquals("moved<U+001B>[2J<U+000A>| F1 |", PlainText.shown("moved\u001b[2J\n| F1 |"));
        assertEquals("clerk<U+202E>7-", PlainText.shown("clerk\u202e7-"));
        assertEquals("a<U+D800>b 👍", PlainText.shown("a\ud800b 👍"));
        assertEquals("随子女异地居住", PlainText.shown("随子女异地居住"));
        assertEquals(null, PlainText.shown(null));
    }

    @Test
    void aClaimIsShownCutAfterItsLimitWithItsCharactersThatAreNotPlainReplaced() {
        assertEquals("H33010000001", PlainText.shownCut("H33010000001", 40));
        assertEquals("x".repeat(40), PlainText.shownCut("x".repeat(40), 40));
        assertEquals("x".repeat(40) + "…", PlainText.shownCut("x".repeat(41), 40));
        assertEquals("H3<U+001B>[2J…", PlainText.shownCut("H3\u001b[2J\u001b[2J", 6));
        assertEquals(null, PlainText.shownCut(null, 40));
    }
}
