package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LoadDriverFilingTest {

    /** What the driver files for a person of 2026 (evidence and operator are not the filing's identity). */
    private static final JsonNode WANTED = filing("ACTIVE", "TEMPORARY", "330000", "2026-01-01", "2026-12-31");

    private static Signed.Answer filings(JsonNode... filings) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Signed.JSON.createObjectNode();
        body.putArray("filings").addAll(java.util.List.of(filings));
        return new Signed.Answer(200, body);
    }

    private static JsonNode filing(String state, String category, String treatment, String from, String to) {
        return Signed.JSON.createObjectNode().put("filing_id", "F1").put("psn_no", "63000000000008000001")
                .put("category", category).put("mdtrtarea_admvs", treatment).put("valid_from", from)
                .put("valid_to", to).put("state", state);
    }

    @Test
    void aPersonWithTheRunsFilingActiveIsNotFiledAgain() {
        assertTrue(LoadDriver.alreadyFiled(filings(
                filing("SUPERSEDED", "TEMPORARY", "330000", "2026-01-01", "2026-12-31"),
                filing("ACTIVE", "TEMPORARY", "330000", "2026-01-01", "2026-12-31")), WANTED));
    }

    @Test
    void aPersonWithoutItIsFiled() {
        assertFalse(LoadDriver.alreadyFiled(filings(), WANTED));
        assertFalse(LoadDriver.alreadyFiled(filings(
                filing("SUPERSEDED", "TEMPORARY", "330000", "2026-01-01", "2026-12-31")), WANTED));
        assertFalse(LoadDriver.alreadyFiled(filings(
                filing("ACTIVE", "TEMPORARY", "330000", "2025-01-01", "2025-12-31")), WANTED));
        assertFalse(LoadDriver.alreadyFiled(filings(
                filing("ACTIVE", "TEMPORARY", "110000", "2026-01-01", "2026-12-31")), WANTED));
        assertFalse(LoadDriver.alreadyFiled(filings(
                filing("ACTIVE", "EMERGENCY", "330000", "2026-01-01", "2026-12-31")), WANTED));
        assertFalse(LoadDriver.alreadyFiled(new Signed.Answer(401,
                Signed.JSON.createObjectNode().put("error", "unknown client")), WANTED));
    }
}
