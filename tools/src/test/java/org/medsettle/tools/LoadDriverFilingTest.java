package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LoadDriverFilingTest {

    private static Signed.Answer filings(String... filings) throws Exception {
        return new Signed.Answer(200, Signed.JSON.readTree("{\"filings\":[" + String.join(",", filings) + "]}"));
    }

    private static String filing(String state, String category, String treatment, String from, String to) {
        return "{\"filing_id\":\"F1\",\"psn_no\":\"63000000000008000001\",\"category\":\"" + category
                + "\",\"mdtrtarea_admvs\":\"" + treatment + "\",\"valid_from\":\"" + from + "\",\"valid_to\":\"" + to
                + "\",\"state\":\"" + state + "\"}";
    }

    @Test
    void aPersonWithTheRunsActiveFilingForTheYearIsNotFiledAgain() throws Exception {
        assertTrue(LoadDriver.filedForTheYear(filings(
                filing("SUPERSEDED", "TEMPORARY", "330000", "2026-01-01", "2026-12-31"),
                filing("ACTIVE", "TEMPORARY", "330000", "2026-01-01", "2026-12-31")), "330000", 2026));
    }

    @Test
    void aPersonWithoutItIsFiled() throws Exception {
        assertFalse(LoadDriver.filedForTheYear(filings(), "330000", 2026));
        assertFalse(LoadDriver.filedForTheYear(filings(
                filing("SUPERSEDED", "TEMPORARY", "330000", "2026-01-01", "2026-12-31")), "330000", 2026));
        assertFalse(LoadDriver.filedForTheYear(filings(
                filing("ACTIVE", "TEMPORARY", "330000", "2025-01-01", "2025-12-31")), "330000", 2026));
        assertFalse(LoadDriver.filedForTheYear(filings(
                filing("ACTIVE", "TEMPORARY", "110000", "2026-01-01", "2026-12-31")), "330000", 2026));
        assertFalse(LoadDriver.filedForTheYear(filings(
                filing("ACTIVE", "EMERGENCY", "330000", "2026-01-01", "2026-12-31")), "330000", 2026));
        JsonNode refusal = Signed.JSON.readTree("{\"error\":\"unknown client\"}");
        assertFalse(LoadDriver.filedForTheYear(new Signed.Answer(401, refusal), "330000", 2026));
    }
}
