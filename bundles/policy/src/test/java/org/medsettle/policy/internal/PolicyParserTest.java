package org.medsettle.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.policy.Benefit;
import org.medsettle.api.policy.DeductibleMode;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.ReductionCategory;

class PolicyParserTest {

    static String reference(String admdvs) {
        try (InputStream in = PolicyParserTest.class.getResourceAsStream("/policies/" + admdvs + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Policy parse(String json) {
        return PolicyParser.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    private static List<String> problems(UnaryOperator<String> edit) {
        String edited = edit.apply(reference("630000"));
        PolicyValidationException e = assertThrows(PolicyValidationException.class, () -> parse(edited));
        assertTrue(e.getMessage().startsWith("test.json: "), e.getMessage());
        return e.problems();
    }

    private static void assertProblem(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"110000", "130000", "230000", "330000", "410000", "630000"})
    void everyReferencePolicyParses(String admdvs) {
        Policy policy = parse(reference(admdvs));
        assertEquals(Admdvs.of(admdvs), policy.admdvs());
        assertEquals(LocalDate.of(2026, 1, 1), policy.effectiveFrom());
        assertTrue(policy.forInsuranceType(InsuranceType.EMPLOYEE).isPresent());
        assertTrue(policy.forInsuranceType(InsuranceType.RESIDENT).isPresent());
    }

    @Test
    void theQinghaiPolicyReadsAsWritten() {
        Policy policy = parse(reference("630000"));
        assertEquals(new BigDecimal("0.15"), policy.reduction(ReductionCategory.TEMPORARY));
        Benefit inpatient = policy.forInsuranceType(InsuranceType.EMPLOYEE).orElseThrow().benefits().get(MedicalType.INPATIENT);
        assertEquals(DeductibleMode.PER_ADMISSION, inpatient.deductibleMode());
        assertEquals("inpatient", inpatient.capPool());
        assertTrue(inpatient.tiers().get(inpatient.tiers().size() - 1).upTo().isEmpty());
        assertEquals(LayerFund.HIFOB, policy.forInsuranceType(InsuranceType.EMPLOYEE).orElseThrow().layers().get(0).fund());
        assertTrue(policy.medicalAssistance().medTypes().contains(MedicalType.INPATIENT));
    }

    @Test
    void emergencyOutpatientUsesTheGeneralOutpatientBenefitWhenItHasNone() {
        Policy policy = parse(reference("630000"));
        var employees = policy.forInsuranceType(InsuranceType.EMPLOYEE).orElseThrow();
        assertEquals(employees.benefitFor(MedicalType.GENERAL_OUTPATIENT), employees.benefitFor(MedicalType.EMERGENCY_OUTPATIENT));
    }

    @Test
    void anUnknownKeyIsRefusedNotIgnored() {
        assertProblem(problems(j -> j.replace("\"capPool\": \"inpatient\"", "\"capPol\": \"inpatient\"")),
                "$.insuranceTypes.310.benefits.21.capPol: unknown key");
    }

    @Test
    void aRatioAboveOneIsRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"inService\": 0\\.\\d+", "\"inService\": 1.5")),
                "$.insuranceTypes.310.benefits.21.tiers[0].inService: ratio must be in [0, 1]: 1.5");
    }

    @Test
    void aRatioFinerThanAMillionthIsRefusedWithoutBeingWrittenOut() {
        assertProblem(problems(j -> j.replaceFirst("\"inService\": 0\\.\\d+", "\"inService\": 0.1234567")),
                "$.insuranceTypes.310.benefits.21.tiers[0].inService: a ratio has at most 6 decimals: 0.1234567");
        assertProblem(problems(j -> j.replaceFirst("\"inService\": 0\\.\\d+", "\"inService\": 1e-999999999")),
                "$.insuranceTypes.310.benefits.21.tiers[0].inService: a ratio has at most 6 decimals: 1E-999999999");
        assertProblem(problems(j -> j.replaceFirst("\"inService\": 0\\.\\d+", "\"inService\": 1e999999999")),
                "$.insuranceTypes.310.benefits.21.tiers[0].inService: ratio must be in [0, 1]: 1E+999999999");
    }

    @Test
    void aNegativeRatioIsRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"retired\": 0\\.\\d+", "\"retired\": -0.1")),
                "tiers[0].retired: ratio must be in [0, 1]");
    }

    @Test
    void tiersThatAreNotAscendingAreRefused() {
        Policy original = parse(reference("630000"));
        Money first = original.forInsuranceType(InsuranceType.EMPLOYEE).orElseThrow()
                .benefits().get(MedicalType.INPATIENT).tiers().get(0).upTo().orElseThrow();
        assertProblem(problems(j -> j.replaceFirst("\"upTo\": " + first.toYuan().stripTrailingZeros().toPlainString() + "\\b",
                        "\"upTo\": 0")), "tiers[0].upTo: must be above 0");
        assertProblem(problems(j -> j.replaceFirst("\"upTo\": null", "\"upTo\": 1")),
                "upTo: must be above the previous upTo");
    }

    @Test
    void aMissingEndlessTierIsRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"upTo\": null", "\"upTo\": 999999999")),
                "the last must be without end (null)");
    }

    @Test
    void aMissingHospitalLevelIsRefused() {
        assertProblem(problems(j -> j.replaceFirst(",\\s*\"3\": \\d+", "")),
                "$.insuranceTypes.310.benefits.21.deductible.3: is required");
    }

    @Test
    void aReductionAboveTheNationalMaximumIsRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"TEMPORARY\": [0-9.]+", "\"TEMPORARY\": 0.25")),
                "$.crossProvince.ratioReduction.TEMPORARY: reduction 0.25 is above the national maximum 0.20");
        assertProblem(problems(j -> j.replaceFirst("\"REFERRAL\": [0-9.]+", "\"REFERRAL\": 0.11")),
                "above the national maximum 0.10 for REFERRAL");
        assertProblem(problems(j -> j.replaceFirst("\"EMERGENCY\": [0-9.]+", "\"EMERGENCY\": 0.2")),
                "above the national maximum 0.10 for EMERGENCY");
    }

    @Test
    void badDatesAreRefused() {
        assertProblem(problems(j -> j.replace("\"2026-01-01\"", "\"2026-13-01\"")),
                "$.effectiveFrom: must be a date yyyy-MM-dd: '2026-13-01'");
    }

    @Test
    void aBenefitOnAnUnknownCapPoolIsRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"capPool\": \"inpatient\"", "\"capPool\": \"dental\"")),
                "capPool: 'dental' is not one of the capPools");
    }

    @Test
    void unknownCodesAreRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"21\": \\{", "\"22\": {")), "$.insuranceTypes.310.benefits.22: unknown code '22'");
        assertProblem(problems(j -> j.replaceFirst("\"fund\": \"hifob\"", "\"fund\": \"hifxx\"")), "fund: unknown code 'hifxx'");
    }

    @Test
    void amountsFinerThanAFenAreRefused() {
        assertProblem(problems(j -> j.replaceFirst("\"inpatient\": \\d+", "\"inpatient\": 1000.001")),
                "$.insuranceTypes.310.capPools.inpatient: more than two decimal places");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = problems(j -> j.replace("\"2026-01-01\"", "\"x\"").replaceFirst("\"TEMPORARY\": [0-9.]+", "\"TEMPORARY\": 0.9"));
        assertTrue(problems.size() >= 2, problems.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "null", "{\"admdvs\": \"630000\"}"})
    void malformedFilesAreRefusedWithAReason(String json) {
        PolicyValidationException e = assertThrows(PolicyValidationException.class, () -> parse(json));
        assertTrue(e.getMessage().contains("$"), e.getMessage());
    }

    @Test
    void duplicateKeysAreRefused() {
        PolicyValidationException e = assertThrows(PolicyValidationException.class,
                () -> parse(reference("630000").replaceFirst("\"name\"", "\"version\": \"x\", \"name\"")));
        assertTrue(e.getMessage().contains("Duplicate"), e.getMessage());
    }

    private static String withTopUp(String option) {
        return reference("630000").replaceFirst("\"medicalAssistance\"", "\"treatmentDifferenceTopUp\": " + option
                + ", \"medicalAssistance\"");
    }

    @Test
    void theTreatmentDifferenceTopUpIsReadWhenThePolicyHasOne() {
        Policy policy = parse(withTopUp("{\"ratio\": 0.8, \"maxPerSettlement\": 2000, \"medTypes\": [\"21\"]}"));
        var topUp = policy.treatmentDifferenceTopUp().orElseThrow();
        assertEquals(new BigDecimal("0.8"), topUp.ratio());
        assertEquals(Money.ofYuan("2000.00"), topUp.maxPerSettlement());
        assertEquals(java.util.Set.of(MedicalType.INPATIENT), topUp.medTypes());
        assertTrue(parse(reference("630000")).treatmentDifferenceTopUp().isEmpty(), "no option, no top-up");
        assertTrue(parse(withTopUp("{\"ratio\": 1, \"maxPerSettlement\": 500}")).treatmentDifferenceTopUp()
                .orElseThrow().medTypes().isEmpty(), "without medTypes: every type");
    }

    @Test
    void aTopUpThatCannotPayOrNamesATypeThePolicyDoesNotPayIsRefused() {
        assertProblem(problems(r -> withTopUp("{\"ratio\": 0, \"maxPerSettlement\": 500}")),
                "$.treatmentDifferenceTopUp.ratio: a top-up of 0 pays nothing");
        assertProblem(problems(r -> withTopUp("{\"ratio\": 1.2, \"maxPerSettlement\": 500}")),
                "$.treatmentDifferenceTopUp.ratio: ratio must be in [0, 1]");
        assertProblem(problems(r -> withTopUp("{\"ratio\": 1, \"maxPerSettlement\": 0}")),
                "$.treatmentDifferenceTopUp.maxPerSettlement: must be above 0");
        assertProblem(problems(r -> withTopUp("{\"ratio\": 1}")),
                "$.treatmentDifferenceTopUp.maxPerSettlement");
        assertProblem(problems(r -> withTopUp("{\"ratio\": 1, \"maxPerSettlement\": 500, \"medTypes\": []}")),
                "$.treatmentDifferenceTopUp.medTypes: names at least one medical type");
        assertProblem(problems(r -> withTopUp("{\"ratio\": 1, \"maxPerSettlement\": 500, \"medTypes\": [\"99\"]}")),
                "$.treatmentDifferenceTopUp.medTypes[0]");
        assertProblem(problems(r -> withTopUp("{\"ratio\": 1, \"maxPerSettlement\": 500, \"share\": 1}")),
                "$.treatmentDifferenceTopUp.share: unknown key");
    }
}
