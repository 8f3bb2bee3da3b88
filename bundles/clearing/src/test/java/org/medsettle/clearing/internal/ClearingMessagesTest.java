package org.medsettle.clearing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingBook.Side;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;

class ClearingMessagesTest {

    @Test
    void aLineTravelsAsOneTextAndComesBackTheSame() {
        ClearingMessages.Line l = new ClearingMessages.Line(Side.CLAIMS, Admdvs.of("630000"), "33000020261101",
                Movement.UNDONE, YearMonth.of(2026, 11), new FundAmounts(-1, -2, -3, -4, -5, -6, -7, -8));
        assertEquals("C|630000|33000020261101|-|2026-11|-1|-2|-3|-4|-5|-6|-7|-8", l.text());
        assertEquals(l, ClearingMessages.Line.parse(l.text()));
    }

    @Test
    void malformedLinesAndKeysAreRefusedNamingWhatIsWrong() {
        for (String bad : new String[] {"", "C|630000|S1|+|2026-11|1|2|3|4|5|6|7", "X|630000|S1|+|2026-11|1|2|3|4|5|6|7|8",
                "C|999999|S1|+|2026-11|1|2|3|4|5|6|7|8", "C|630100|S1|+|2026-11|1|2|3|4|5|6|7|8",
                "C|630000|S 1|+|2026-11|1|2|3|4|5|6|7|8", "C|630000|S1|*|2026-11|1|2|3|4|5|6|7|8",
                "C|630000|S1|+|2026-13|1|2|3|4|5|6|7|8", "C|630000|S1|+|2026-11|1.5|2|3|4|5|6|7|8"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClearingMessages.Line.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ClearingMessages.clearingId("CL2026-11"));
        assertThrows(IllegalArgumentException.class, () -> ClearingMessages.read("{\"clearing_id\":\"CL202611\","
                + "\"month\":\"2026-11\",\"after\":0,\"limit\":10,\"extra\":1}", ClearingMessages.ReportRequest.class));
    }

    @Test
    void aStatementTravelsWhole() {
        ClearingStatement s = new ClearingStatement("CL202611", YearMonth.of(2026, 11), Admdvs.of("330000"),
                List.of(new ClearingStatement.Position(Admdvs.of("630000"), new FundAmounts(10, 0, 0, 5, 0, 0, 0, 3), 2,
                        new FundAmounts(0, 0, 0, 0, 0, 0, 0, 0), 0)), 1);
        String json = ClearingMessages.write(ClearingMessages.StatementMessage.of(s));
        assertEquals(s, ClearingMessages.read(json, ClearingMessages.StatementMessage.class).statement());
        assertEquals(18, s.net());
    }

    @Test
    void theNodeRefusesAStatementThatIsNotTheSumOfItsLines() {
        ClearingStatement s = new ClearingStatement("CL202611", YearMonth.of(2026, 11), Admdvs.of("330000"),
                List.of(new ClearingStatement.Position(Admdvs.of("630000"), new FundAmounts(10, 0, 0, 0, 0, 0, 0, 0), 2,
                        FundAmounts.ZERO, 0)), 0);
        assertEquals(null, ClearingNode.differences(s, java.util.Map.of("C|630000", new FundAmounts(10, 0, 0, 0, 0, 0, 0,
                0)), java.util.Map.of("C|630000", 2L)));
        assertTrue(ClearingNode.differences(s, java.util.Map.of("C|630000", new FundAmounts(11, 0, 0, 0, 0, 0, 0, 0)),
                java.util.Map.of("C|630000", 2L)).contains("claims on 630000"));
        assertTrue(ClearingNode.differences(s, java.util.Map.of("C|630000", new FundAmounts(10, 0, 0, 0, 0, 0, 0, 0),
                "A|110000", new FundAmounts(1, 0, 0, 0, 0, 0, 0, 0)), java.util.Map.of("C|630000", 2L, "A|110000", 1L))
                .contains("applications for 110000"));
    }

    @Test
    void theClearingPostingMovesClaimsAndDebtsToTheClearingAccounts() {
        var claims = ClearingNode.posting("CL202611", "C", "630000", new FundAmounts(100, 0, 0, 20, 0, 0, 0, 5))
                .orElseThrow();
        assertEquals("CL202611:C:630000", claims.reference());
        assertEquals(List.of(new org.medsettle.api.ledger.Posting.Entry("claim:630000:hifp", -100),
                new org.medsettle.api.ledger.Posting.Entry("claim:630000:hifmi", -20),
                new org.medsettle.api.ledger.Posting.Entry("claim:630000:acct", -5),
                new org.medsettle.api.ledger.Posting.Entry("clearing:630000", 125)), claims.entries());
        var debts = ClearingNode.posting("CL202611", "A", "330000", new FundAmounts(-100, 0, 0, 0, 0, 0, 0, 0))
                .orElseThrow();
        assertEquals(List.of(new org.medsettle.api.ledger.Posting.Entry("owed:330000:hifp", -100),
                new org.medsettle.api.ledger.Posting.Entry("clearing:330000", 100)), debts.entries());
        assertTrue(ClearingNode.posting("CL202611", "A", "330000", FundAmounts.ZERO).isEmpty());
    }

    @Test
    void thePictureShadesTheLargestFlowDarkest() {
        assertEquals("#ffffff", ClearingPicture.shade(0, 100));
        assertEquals("#084594", ClearingPicture.shade(100, 100));
        assertEquals("12.34", ClearingPicture.yuan(1234));
        assertEquals("-0.05", ClearingPicture.yuan(-5));
    }
}
