package org.medsettle.catalogue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.ChargeClass;

class CatalogueCsvTest {

    private static CatalogueCsv.Result read(String text) {
        return CatalogueCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), n -> { });
    }

    private static String file(String... lines) {
        return CatalogueCsv.HEADER + "\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void theReferenceCatalogueReadsWithoutProblems() throws IOException {
        List<Integer> progress = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/catalogue-330000.csv")) {
            CatalogueCsv.Result r = CatalogueCsv.read(in, progress::add);
            assertEquals(List.of(), r.problems());
            assertEquals(3000, r.lines());
            assertEquals(3000, r.entries().size());
            assertEquals(3000, progress.get(progress.size() - 1));
        }
    }

    @Test
    void aLineReadsIntoAnEntryWithAnOpenEndFor9999() {
        CatalogueEntry e = read(file("XB1,硝苯地平控释片,drug,B,0.3,5.5,2020-01-01,9999-12-31")).entries().get(0);
        assertEquals(new CatalogueEntry("XB1", "硝苯地平控释片", "drug", ChargeClass.B, new BigDecimal("0.3"),
                Optional.of(new BigDecimal("5.5")), LocalDate.of(2020, 1, 1), Optional.empty()), e);
    }

    @Test
    void aNameASpreadsheetQuotedBecauseItHoldsACommaIsTakenWithItsComma() {
        CatalogueEntry e = read(file("XB2,\"阿莫西林胶囊,0.25g\",drug,B,0.1,,2020-01-01,")).entries().get(0);
        assertEquals("阿莫西林胶囊,0.25g", e.name());
        assertEquals("XB2", e.medListCodg());
    }

    @Test
    void aRatioOrAPriceLimitWithMoreDigitsThanTheStoreKeepsOrWithAnExponentIsRefused() {
        CatalogueCsv.Result r = read(file(
                "OK1,a,drug,B,0.12340,12.345600,2020-01-01,",
                "OK2,a,drug,A,0,9999999999.999999,2020-01-01,",
                "B1,b,drug,B,0.12345,,2020-01-01,",
                "B2,b,drug,A,0,12.3456789,2020-01-01,",
                "B3,b,drug,A,0,12345678901,2020-01-01,",
                "B4,b,drug,A,0,1E+3,2020-01-01,",
                "B5,b,drug,B,.5,,2020-01-01,"));
        assertEquals(List.of(
                "line 4: selfpay_prop has at most 4 decimals: 0.12345",
                "line 5: price_limit has at most 10 digits before the point and 6 after: 12.3456789",
                "line 6: price_limit has at most 10 digits before the point and 6 after: 12345678901",
                "line 7: price_limit is not a number: '1E+3'",
                "line 8: selfpay_prop is not a number: '.5'"), r.problems());
    }

    @Test
    void everyBadLineIsNamedAndNothingIsAccepted() {
        CatalogueCsv.Result r = read(file(
                "OK1,a,drug,A,0,,2020-01-01,",
                "B1,b,drug,D,0,,2020-01-01,",
                "B2,b,potion,A,0,,2020-01-01,",
                "B3,b,drug,B,1.5,,2020-01-01,",
                "B4,b,drug,A,0.2,,2020-01-01,",
                "B5,b,drug,A,0,-1,2020-01-01,",
                "B6,b,drug,A,0,,2020-13-01,",
                "B7,b,drug,A,0,,2021-01-01,2020-01-01",
                "B8,b,drug,A,0",
                ",b,drug,A,0,,2020-01-01,"));
        assertEquals(9, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).startsWith("line 3: class must be A, B or C"), r.problems().get(0));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 4: kind must be")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 5: selfpay_prop must be in [0, 1]")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 6: selfpay_prop applies to class B only")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 7: price_limit must be > 0")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 8: valid_from is not a date")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 9: valid_to 2020-01-01 is before")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 10: expected 8 fields, found 5")));
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("line 11: med_list_codg must be")));
    }

    @Test
    void aCodeNoFeeLineCouldNameIsRefusedAsTheHisInterfaceWouldRefuseItOnAFeeLine() {
        String sixty = "X".repeat(60);
        CatalogueCsv.Result r = read(file(
                "ZZ 06,a space inside,drug,A,0,,2020-01-01,",
                sixty + "Y,61 characters,drug,A,0,,2020-01-01,",
                "ＸＢ05,full-width letters,drug,A,0,,2020-01-01,",
                "西药01,Chinese characters,drug,A,0,,2020-01-01,",
                "XB/05,a slash,drug,A,0,,2020-01-01,",
                sixty + ",60 characters,drug,A,0,,2020-01-01,",
                "XB.05_a-1,dot underscore dash,drug,A,0,,2020-01-01,"));
        assertEquals(List.of(
                "line 2: med_list_codg must be 1 to 60 letters, digits, '.', '_' or '-', as a fee line's: 'ZZ 06'",
                "line 3: med_list_codg must be 1 to 60 letters, digits, '.', '_' or '-', as a fee line's: '" + sixty
                        + "Y'",
                "line 4: med_list_codg must be 1 to 60 letters, digits, '.', '_' or '-', as a fee line's: 'ＸＢ05'",
                "line 5: med_list_codg must be 1 to 60 letters, digits, '.', '_' or '-', as a fee line's: '西药01'",
                "line 6: med_list_codg must be 1 to 60 letters, digits, '.', '_' or '-', as a fee line's: 'XB/05'"),
                r.problems());
        // the forms a fee line may name are read
        CatalogueCsv.Result fine = read(file(sixty + ",60 characters,drug,A,0,,2020-01-01,",
                "XB.05_a-1,dot underscore dash,drug,A,0,,2020-01-01,"));
        assertEquals(List.of(), fine.problems());
        assertEquals(List.of(sixty, "XB.05_a-1"), fine.entries().stream().map(CatalogueEntry::medListCodg).toList());
    }

    @Test
    void aFileOfTheHeaderAloneIsRefusedRatherThanImportedAsAVersionCoveringNothing() {
        CatalogueCsv.Result r = read(file());
        assertEquals(List.of("line 2: no catalogue line after the header; a version without entries is not imported"),
                r.problems());
        // blank lines are no catalogue lines either
        assertEquals(r.problems(), read(file("", "  ")).problems());
    }

    @Test
    void aWrongHeaderIsRefused() {
        CatalogueCsv.Result r = CatalogueCsv.read(new ByteArrayInputStream("code,name\nX,a,drug,A,0,,2020-01-01,\n"
                .getBytes(StandardCharsets.UTF_8)), n -> { });
        assertTrue(r.problems().get(0).startsWith("line 1: the header must be exactly"));
    }

    @Test
    void anEmptyFileIsRefused() {
        assertTrue(read("").problems().isEmpty() == false);
    }

    @Test
    void twoEntriesOfOneCodeValidAtTheSameTimeAreRefusedButSuccessiveOnesAreFine() {
        assertEquals(List.of(), read(file("X,a,drug,A,0,,2020-01-01,2025-12-31", "X,a,drug,B,0.1,,2026-01-01,")).problems());
        List<String> problems = read(file("X,a,drug,A,0,,2020-01-01,2026-06-30", "X,a,drug,B,0.1,,2026-01-01,")).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("code X: two entries valid at the same time"), problems.get(0));
    }

    @Test
    void textThatIsNotUtf8IsRefused() {
        byte[] latin1 = (CatalogueCsv.HEADER + "\nX,caf\u00e9,drug,A,0,,2020-01-01,\n").getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(CatalogueCsv.read(new ByteArrayInputStream(latin1), n -> { }).problems().get(0).contains("not UTF-8"));
    }

    @Test
    void theIndexFindsTheEntryValidOnTheDateBothEndsInclusive() {
        CatalogueCsv.Result r = read(file("X,a,drug,A,0,,2020-01-01,2025-12-31", "X,a,drug,B,0.1,,2026-01-01,"));
        CatalogueIndex index = new CatalogueIndex(new CatalogueVersionInfo(1, "t", Instant.EPOCH, "me", 2, true), r.entries());
        assertEquals(ChargeClass.A, index.lookup("X", LocalDate.of(2025, 12, 31)).orElseThrow().chargeClass());
        assertEquals(ChargeClass.B, index.lookup("X", LocalDate.of(2026, 1, 1)).orElseThrow().chargeClass());
        assertEquals(Optional.empty(), index.lookup("X", LocalDate.of(2019, 12, 31)));
        assertEquals(Optional.empty(), index.lookup("Y", LocalDate.of(2026, 1, 1)));
    }
}
