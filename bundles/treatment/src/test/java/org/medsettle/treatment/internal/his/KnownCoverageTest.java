package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.settlement.Accumulators;

/** What is known of a person serves their next settlement: the newest state, of the settlement's year, bounded. */
class KnownCoverageTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Admdvs QINGHAI = Admdvs.of("630000");

    private static Person person(int n) {
        return new Person(String.format("6300000000000000%04d", n), "", "测试", "2", LocalDate.of(1996, 8, 10),
                InsuranceType.EMPLOYEE, PersonType.EMPLOYEE_RETIRED, Assistance.NONE, QINGHAI, "");
    }

    private static Coverage coverage(int n, int year, long version, FilingCategory category) {
        return new Coverage(person(n), "F1", category, year, version, Accumulators.opening(Money.ofYuan("100.00")));
    }

    private final KnownCoverage known = new KnownCoverage();

    @Test
    void theStateAfterASettlementReplacesTheAdmissionsAndAnOlderAnswerDoesNotReplaceIt() {
        Coverage admission = coverage(1, 2026, 7, FilingCategory.TEMPORARY);
        known.keep(admission, T0);
        Accumulators change = Accumulators.opening(Money.ofYuan("-30.00"));
        known.keepApplied(admission, 8, change, T0.plusSeconds(60));
        Coverage after = known.of(admission.person().psnNo(), QINGHAI, 2026, T0.plusSeconds(61)).orElseThrow();
        assertEquals(8, after.version());
        assertEquals(admission.accumulators().plus(change), after.accumulators());
        // a second admission's answer read before that settlement was applied (version 7) does not go back
        known.keep(admission, T0.plusSeconds(62));
        assertEquals(8, known.of(admission.person().psnNo(), QINGHAI, 2026, T0.plusSeconds(63)).orElseThrow().version());
    }

    @Test
    void anotherYearAnotherInsuredProvinceAnEmergencyOrAnOldEntryIsNotUsed() {
        known.keep(coverage(1, 2026, 7, FilingCategory.TEMPORARY), T0);
        String psnNo = person(1).psnNo();
        assertTrue(known.of(psnNo, QINGHAI, 2027, T0).isEmpty(), "a settlement of the next year");
        assertTrue(known.of(psnNo, Admdvs.of("110000"), 2026, T0).isEmpty());
        assertTrue(known.of(psnNo, QINGHAI, 2026, T0.plus(KnownCoverage.KEEP).plusSeconds(1)).isEmpty());
        known.keep(coverage(2, 2026, 1, FilingCategory.EMERGENCY), T0);
        assertTrue(known.of(person(2).psnNo(), QINGHAI, 2026, T0).isEmpty(), "an emergency's filing is the settlement's");
    }

    @Test
    void beyondItsBoundTheOldestHalfIsForgotten() {
        for (int i = 0; i < KnownCoverage.MAX_KEPT; i++) {
            known.keep(coverage(i, 2026, 1, FilingCategory.TEMPORARY), T0.plusMillis(i));
        }
        known.keep(coverage(KnownCoverage.MAX_KEPT, 2026, 1, FilingCategory.TEMPORARY), T0.plusSeconds(3600));
        assertTrue(known.size() <= KnownCoverage.MAX_KEPT / 2 + 1, "size " + known.size());
        assertTrue(known.of(person(KnownCoverage.MAX_KEPT - 1).psnNo(), QINGHAI, 2026, T0.plusSeconds(3600)).isPresent(),
                "the newest are kept");
        assertTrue(known.of(person(0).psnNo(), QINGHAI, 2026, T0.plusSeconds(3600)).isEmpty());
    }
}
