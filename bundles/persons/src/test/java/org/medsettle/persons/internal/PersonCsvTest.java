package org.medsettle.persons.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;

class PersonCsvTest {

    private static final Admdvs QINGHAI = Admdvs.of("630000");
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

    private static PersonCsv.Result read(String... lines) {
        String text = PersonCsv.HEADER + "\n" + String.join("\n", lines) + "\n";
        return PersonCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), QINGHAI, TODAY, n -> { });
    }

    @Test
    void theReferenceExtractReadsWithoutProblems() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/persons-630000.csv")) {
            PersonCsv.Result r = PersonCsv.read(in, QINGHAI, TODAY, n -> { });
            assertEquals(List.of(), r.problems());
            assertEquals(2000, r.persons().size());
        }
    }

    @Test
    void aLineReadsIntoAPersonInTheNodesProvinceWithItsBalance() {
        PersonCsv.Result r = read("63000000000000000002,630220195606087603,符玉艳,2,1956-06-08,310,1102,,120.50,某某科技有限公司");
        assertEquals(new Person("63000000000000000002", "630220195606087603", "符玉艳", "2", LocalDate.of(1956, 6, 8),
                InsuranceType.EMPLOYEE, PersonType.EMPLOYEE_RETIRED, Assistance.NONE, QINGHAI, "某某科技有限公司"), r.persons().get(0));
        assertEquals(Money.ofYuan("120.50"), r.balances().get(0));
    }

    @Test
    void idNumbersNeedTheirCheckDigitAndALowerCaseXIsAccepted() {
        assertTrue(PersonCsv.validCertno("63250419530102794X"));
        assertFalse(PersonCsv.validCertno("632504195301027940"));
        assertEquals("63250419530102794X", read("P1,63250419530102794x,古秀刚,2,1953-01-02,310,1102,,0,x").persons().get(0).certno());
    }

    @Test
    void aBirthDateInTheFutureOrBefore1900OrNotTheIdNumbersAndAGenderNotTheIdNumbersAreRefused() {
        PersonCsv.Result r = read(
                // 2027-01-02: a valid ID number of a person born after today (2026-12-05)
                "P1," + certno("63010220270102001") + ",甲,1,2027-01-02,390,1501,,0,x",
                "P2," + certno("63010218991231001") + ",乙,1,1899-12-31,390,1501,,0,x",
                // the ID number says 1956-06-08, the line 1965-06-08
                "P3,630220195606087603,丙,2,1965-06-08,310,1102,,0,x",
                // the 17th character 0 is even, a woman's
                "P4," + certno("63022019560608762") + ",丁,1,1956-06-08,310,1102,,0,x",
                // a check digit that fits, but 1956-02-30 is no day
                "P5," + certno("63022019560230761") + ",戊,1,1956-02-28,310,1102,,0,x",
                "P6," + certno("63010220261205001") + ",己,1,2026-12-05,390,1501,,0,x");
        List<String> p = r.problems();
        assertTrue(p.contains("line 2: brdy 2027-01-02 is after today 2026-12-05"), p.toString());
        assertTrue(p.contains("line 3: brdy 1899-12-31 is before 1900-01-01"), p.toString());
        assertTrue(p.contains("line 4: brdy 1965-06-08 is not the birth date in certno (its 7th to 14th characters)"),
                p.toString());
        assertTrue(p.contains("line 5: gend 1 is not the gender in certno (its 17th character: odd for 1, even for 2)"),
                p.toString());
        assertTrue(p.contains("line 6: certno carries no birth date that exists (its 7th to 14th characters)"),
                p.toString());
        assertEquals(5, p.size(), p.toString());
        assertEquals(List.of("P6"), r.persons().stream().map(Person::psnNo).toList(), "born today: taken");
        assertFalse(p.toString().contains("630220195606087603"), "no ID number in problems");
    }

    @Test
    void aBalanceWithAnExponentOrMoreDigitsThanTheStoreKeepsIsRefused() {
        PersonCsv.Result r = read(
                "P1,630220195606087603,符玉艳,2,1956-06-08,310,1102,,1E+3,x",
                "P2,631303199608106108,成杰,2,1996-08-10,310,1101,,100000000000000.00,x",
                "P3,63250419530102794X,古秀刚,2,1953-01-02,310,1102,,99999999999999.99,x");
        List<String> p = r.problems();
        assertEquals(List.of("line 2: acct_balc is not a plain amount of at most 14 digits before the point",
                "line 3: acct_balc is not a plain amount of at most 14 digits before the point",
                "line 4: acct_balc is more than a personal account holds (at most 1000000.00 yuan): an amount in fen, "
                        + "or another column?"), p);
    }

    @Test
    void aBalanceUpToAMillionYuanIsTakenAndOneFenMoreIsRefusedAsNoPersonalAccountHoldsIt() {
        PersonCsv.Result r = read(
                "P1,630220195606087603,符玉艳,2,1956-06-08,310,1102,,1000000.00,x",
                "P2,631303199608106108,成杰,2,1996-08-10,310,1101,,1000000.01,x",
                "P3,63250419530102794X,古秀刚,2,1953-01-02,310,1102,,4600000,x");
        assertEquals(List.of(
                "line 3: acct_balc is more than a personal account holds (at most 1000000.00 yuan): an amount in fen, "
                        + "or another column?",
                "line 4: acct_balc is more than a personal account holds (at most 1000000.00 yuan): an amount in fen, "
                        + "or another column?"), r.problems());
        assertEquals(Money.ofYuan("1000000.00"), r.balances().get(0));
    }

    /** {@code body} (17 digits) with its GB 11643 check digit. */
    private static String certno(String body) {
        return body + PersonCsv.checkDigit(body);
    }

    @Test
    void everyBadLineIsNamedWithoutThePersonalDataInIt() {
        PersonCsv.Result r = read(
                "P1,632504195301027940,古秀刚,2,1953-01-02,310,1102,,0,x",
                "P2,630220195606087603,符玉艳,3,1956-06-08,390,1102,C,-1,x",
                "P3,631303199608106108,成杰,2,1996-13-10,310,1101,,1.005,x",
                "P3,631303199608106108,成杰,2,1996-08-10,310,1101,,1,x",
                "P5,too,few");
        List<String> p = r.problems();
        assertTrue(p.contains("line 2: certno is not an 18-character ID number with a valid check digit"), p.toString());
        assertTrue(p.contains("line 3: gend must be 1 or 2"), p.toString());
        assertTrue(p.contains("line 3: assistance must be A, B or empty"), p.toString());
        assertTrue(p.contains("line 3: psn_type 1102 does not go with insutype 390"), p.toString());
        assertTrue(p.contains("line 3: acct_balc must not be negative"), p.toString());
        assertTrue(p.contains("line 4: brdy is not a date yyyy-MM-dd"), p.toString());
        assertTrue(p.contains("line 4: acct_balc is not an amount with at most 2 decimals"), p.toString());
        assertTrue(p.contains("line 5: psn_no repeats line 4"), p.toString());
        assertTrue(p.contains("line 5: certno repeats line 4"), p.toString());
        assertTrue(p.contains("line 6: expected 10 fields, found 3"), p.toString());
        assertFalse(p.toString().contains("古秀刚") || p.toString().contains("632504195301027940"), "no personal data in problems");
    }

    @Test
    void aNameOrEmployerThatIsNotOneLineOfReadableCharactersIsRefusedWithoutEchoingIt() {
        PersonCsv.Result r = read(
                "P1,63250419530102794X,古秀\u001b[8m刚,2,1953-01-02,310,1102,,0,x",
                "P2,630220195606087603,符玉艳,2,1956-06-08,310,1102,,0,某某\t科技",
                "P3,631303199608106108,成杰\u202e,2,1996-08-10,310,1101,,1,某某科技（青海）有限公司");
        List<String> p = r.problems();
        assertEquals(List.of(
                "line 2: psn_name: U+001B (a control character) at character 3; text may hold only characters meant to "
                        + "be read, on one line",
                "line 3: emp_name: U+0009 (a control character) at character 3; text may hold only characters meant to "
                        + "be read, on one line",
                "line 4: psn_name: U+202E (a mark that changes the direction text is shown in) at character 3; text "
                        + "may hold only characters meant to be read, on one line"), p);
    }
}
