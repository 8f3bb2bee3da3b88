package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LedgerDeltaTest {

    private static final String TREATMENT_BEFORE = """
            Account               | Balance (yuan) | Entries
            ----------------------+----------------+--------
            claim:630000:acct     |     9998150.12 |    2168
            claim:630000:hifp     |   339991937.49 |    3888
            hospital:H33030000001 |  -349990087.61 |     988
            3 account(s), total 0.00 (all accounts: 0.00)
            """;
    private static final String INSURED_BEFORE = """
            Account           | Balance (yuan) | Entries
            ------------------+----------------+--------
            fund:acct         |     9998150.12 |    2168
            fund:hifp         |   339991937.49 |    3888
            owed:330000:acct  |    -9998150.12 |    2168
            owed:330000:hifp  |  -339991937.49 |    3888
            4 account(s), total 0.00 (all accounts: 0.00)
            """;

    private static JsonNode acknowledged(String acct, String hifp) throws Exception {
        return Signed.JSON.readTree("{\"hifp_pay\": " + hifp + ", \"acct_pay\": " + acct + ", \"maf_pay\": 0.00}");
    }

    private static Map<String, BigDecimal> after(String table, String account, String by) {
        return after(LedgerDelta.balances(table), account, by);
    }

    private static Map<String, BigDecimal> after(Map<String, BigDecimal> balances, String account, String by) {
        Map<String, BigDecimal> m = new java.util.LinkedHashMap<>(balances);
        m.merge(account, new BigDecimal(by), BigDecimal::add);
        return m;
    }

    @Test
    void theBalancesOfALedgerBalancesTableAreRead() {
        Map<String, BigDecimal> b = LedgerDelta.balances(TREATMENT_BEFORE);
        assertEquals(new BigDecimal("339991937.49"), b.get("claim:630000:hifp"));
        assertEquals(new BigDecimal("-349990087.61"), b.get("hospital:H33030000001"));
        assertEquals(3, b.size(), b.toString());
    }

    @Test
    void ledgersMovedByExactlyTheAcknowledgedPaymentsAgree() throws Exception {
        Map<String, BigDecimal> t = after(after(TREATMENT_BEFORE, "claim:630000:hifp", "100.05"), "claim:630000:acct", "7.00");
        Map<String, BigDecimal> i = after(after(INSURED_BEFORE, "owed:330000:hifp", "-100.05"), "owed:330000:acct", "-7.00");
        List<String> lines = new ArrayList<>();
        List<String> problems = LedgerDelta.check(acknowledged("7.00", "100.05"), "330000", "630000",
                LedgerDelta.balances(TREATMENT_BEFORE), t, LedgerDelta.balances(INSURED_BEFORE), i, lines::add);
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("hifp\\s+100.05\\s+100.05\\s+100.05")), lines.toString());
    }

    @Test
    void aSettlementAppliedAtTheInsuredNodeButNeverCommittedAtTheTreatmentNodeIsNamed() throws Exception {
        Map<String, BigDecimal> t = after(TREATMENT_BEFORE, "claim:630000:hifp", "100.05");
        Map<String, BigDecimal> i = after(INSURED_BEFORE, "owed:330000:hifp", "-150.05");
        List<String> problems = LedgerDelta.check(acknowledged("0.00", "100.05"), "330000", "630000",
                LedgerDelta.balances(TREATMENT_BEFORE), t, LedgerDelta.balances(INSURED_BEFORE), i, l -> { });
        assertEquals(List.of("hifp: the settlements acknowledged paid 100.05, the debt at 630000 grew by 150.05"), problems);
    }

    @Test
    void anAcknowledgedSettlementLostAtTheTreatmentNodeIsNamed() throws Exception {
        Map<String, BigDecimal> i = after(INSURED_BEFORE, "owed:330000:acct", "-7.00");
        List<String> problems = LedgerDelta.check(acknowledged("7.00", "0.00"), "330000", "630000",
                LedgerDelta.balances(TREATMENT_BEFORE), LedgerDelta.balances(TREATMENT_BEFORE),
                LedgerDelta.balances(INSURED_BEFORE), i, l -> { });
        assertEquals(List.of("acct: the settlements acknowledged paid 7.00, the claim at 330000 grew by 0.00"), problems);
    }

    @Test
    void aFundNoLedgerMovedIsShownInYuanWithTwoDecimalsInEveryColumn() throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> problems = LedgerDelta.check(acknowledged("0", "0.00"), "330000", "630000",
                LedgerDelta.balances(TREATMENT_BEFORE), LedgerDelta.balances(TREATMENT_BEFORE),
                LedgerDelta.balances(INSURED_BEFORE), LedgerDelta.balances(INSURED_BEFORE), lines::add);
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("acct\\s+0\\.00\\s+0\\.00\\s+0\\.00")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.matches(".*\\s0$")), lines.toString());
    }
}
