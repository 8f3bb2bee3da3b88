package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.settlement.Accumulators;

/** A pre-settlement's coverage serves the settlement that follows once, for the same question, for ten minutes. */
class CoverageCacheTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Person PERSON = new Person("63000000000000000001", "631303199608106108", "测试", "2",
            LocalDate.of(1996, 8, 10), InsuranceType.EMPLOYEE, PersonType.EMPLOYEE_RETIRED, Assistance.NONE,
            Admdvs.of("630000"), "");
    private static final CoverageQuery QUERY = new CoverageQuery(Admdvs.of("630000"), PERSON.psnNo(), Admdvs.of("330000"),
            LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 30), MedicalType.INPATIENT, true);

    private static Coverage coverage(FilingCategory category) {
        return new Coverage(PERSON, "F1", category, 2026, 7, Accumulators.opening(Money.ofYuan("100.00")));
    }

    private final CoverageCache cache = new CoverageCache();

    @Test
    void theSettlementTakesThePreSettlementsCoverageOnce() {
        Coverage cov = coverage(FilingCategory.TEMPORARY);
        cache.keep("M1", QUERY, cov, T0);
        assertEquals(Optional.of(cov), cache.take("M1", QUERY, T0.plusSeconds(30)));
        assertTrue(cache.take("M1", QUERY, T0.plusSeconds(31)).isEmpty(), "taken out");
    }

    @Test
    void anotherQuestionOrAnOldAnswerAsksTheInsuredPlaceAgain() {
        cache.keep("M1", QUERY, coverage(FilingCategory.TEMPORARY), T0);
        CoverageQuery laterDischarge = new CoverageQuery(Admdvs.of("630000"), PERSON.psnNo(), Admdvs.of("330000"),
                LocalDate.of(2026, 11, 20), LocalDate.of(2026, 12, 1), MedicalType.INPATIENT, true);
        assertTrue(cache.take("M1", laterDischarge, T0).isEmpty());
        cache.keep("M2", QUERY, coverage(FilingCategory.TEMPORARY), T0);
        assertTrue(cache.take("M2", QUERY, T0.plus(CoverageCache.KEEP).plusSeconds(1)).isEmpty());
    }

    @Test
    void anEmergencysCoverageIsNotKept() {
        cache.keep("M1", QUERY, coverage(FilingCategory.EMERGENCY), T0);
        assertTrue(cache.take("M1", QUERY, T0).isEmpty());
    }
}
