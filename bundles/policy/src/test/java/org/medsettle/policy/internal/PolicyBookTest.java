package org.medsettle.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.PolicyNotFoundException;
import org.medsettle.api.policy.PolicyVersion;

class PolicyBookTest {

    private final PolicyBook book = new PolicyBook(Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC));
    private static final Admdvs QINGHAI = Admdvs.of("630000");

    private static PolicyVersion version(String label, String effectiveFrom, String source) {
        Policy base = PolicyParserTest.parse(PolicyParserTest.reference("630000"));
        Policy p = new Policy(base.admdvs(), base.name(), label, LocalDate.parse(effectiveFrom), base.ratioReduction(),
                base.insuranceTypes(), base.medicalAssistance());
        return new PolicyVersion(p, source);
    }

    @Test
    void theVersionInForceIsTheLatestThatStartedOnOrBeforeTheDate() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("2026.1", "2026-01-01", "b1/a.json"),
                version("2026.2", "2026-07-01", "b1/b.json"))));
        assertEquals("2026.1", book.inForce(QINGHAI, LocalDate.of(2026, 6, 30)).version());
        assertEquals("2026.2", book.inForce(QINGHAI, LocalDate.of(2026, 7, 1)).version());
        assertThrows(PolicyNotFoundException.class, () -> book.inForce(QINGHAI, LocalDate.of(2025, 12, 31)));
    }

    @Test
    void aDistrictCodeFindsItsProvincesPolicy() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("2026.1", "2026-01-01", "b1/a.json"))));
        assertEquals("2026.1", book.inForce(Admdvs.of("630102"), LocalDate.of(2026, 3, 1)).version());
    }

    @Test
    void aProvinceWithoutPolicyIsAClearErrorNamingWhatToInstallAndWhatTheClerkDoes() {
        PolicyNotFoundException e = assertThrows(PolicyNotFoundException.class, () -> book.inForce(Admdvs.of("640000"), LocalDate.of(2026, 3, 1)));
        assertTrue(e.getMessage().contains("640000 publishes it through the national hub (medsettle:policy-publish")
                && e.getMessage().contains("installs its policy bundle"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was settled"), e.getMessage());
        assertTrue(!e.getMessage().contains("feature medsettle-policy-640000"), "no feature that does not exist: " + e.getMessage());
    }

    @Test
    void anUpdateReplacesTheBundlesVersionsAtOnceAndAHeldVersionNeverChanges() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v1", "2026-01-01", "b1/a.json"))));
        PolicyVersion held = book.inForce(QINGHAI, LocalDate.of(2026, 3, 1));
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v2", "2026-01-01", "b1/a.json"))));
        assertEquals("v2", book.inForce(QINGHAI, LocalDate.of(2026, 3, 1)).version());
        assertEquals("v1", held.version());
    }

    @Test
    void aRefusalKeepsWhatWasInForceAndIsListed() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v1", "2026-01-01", "b1/a.json"))));
        book.refuse(1, "b1", List.of("$.admdvs: bad"));
        assertEquals("v1", book.inForce(QINGHAI, LocalDate.of(2026, 3, 1)).version());
        assertEquals(List.of("$.admdvs: bad"), book.refusals().get(0).problems());
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v2", "2026-01-01", "b1/a.json"))));
        assertEquals(List.of(), book.refusals());
    }

    @Test
    void twoBundlesGivingTheSameProvinceAndDateAreNotBothAccepted() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v1", "2026-01-01", "b1/a.json"))));
        var refusal = book.offer(2, new PolicyBook.Contribution("b2", List.of(version("x", "2026-01-01", "b2/a.json"))));
        assertTrue(refusal.isPresent());
        assertTrue(refusal.get().problems().get(0).contains("already provided by b1/a.json"), refusal.get().toString());
        assertEquals("v1", book.inForce(QINGHAI, LocalDate.of(2026, 3, 1)).version());
    }

    @Test
    void uninstallingWithdrawsTheBundlesVersions() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v1", "2026-01-01", "b1/a.json"))));
        book.withdraw(1);
        assertThrows(PolicyNotFoundException.class, () -> book.inForce(QINGHAI, LocalDate.of(2026, 3, 1)));
        assertEquals(List.of(), book.provinces());
    }

    @Test
    void versionsOfAProvinceFromSeveralBundlesAreMerged() {
        book.offer(1, new PolicyBook.Contribution("b1", List.of(version("v1", "2026-01-01", "b1/a.json"))));
        book.offer(2, new PolicyBook.Contribution("b2", List.of(version("v2", "2026-07-01", "b2/a.json"))));
        assertEquals(List.of("v1", "v2"), book.province(QINGHAI).orElseThrow().versions().stream().map(PolicyVersion::version).toList());
        assertSame(book.province(QINGHAI).orElseThrow(), book.provinces().get(0));
    }
}
