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

    private static PersonCsv.Result read(String... lines) {
        String text = PersonCsv.HEADER + "\n" + String.join("\n", lines) + "\n";
        return PersonCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), QINGHAI, n -> { });
    }

    @Test
    void theReferenceExtractReadsWithoutProblems() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/persons-630000.csv")) {
            PersonCsv.Result r = PersonCsv.read(in, QINGHAI, n -> { });
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
}
