package org.medsettle.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;

class FilingTest {

    private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
    private static final LocalDate DEC_31 = LocalDate.of(2026, 12, 31);

    private Filing temporary(FilingState state) {
        return new Filing("F1", "P1", FilingCategory.TEMPORARY, Admdvs.of("330000"), JAN_1, Optional.of(DEC_31), state);
    }

    @Test
    void anActiveFilingCoversAdmissionsWithinItsDatesBothEndsInclusive() {
        Filing filing = temporary(FilingState.ACTIVE);
        assertTrue(filing.covers(JAN_1));
        assertTrue(filing.covers(DEC_31));
        assertFalse(filing.covers(JAN_1.minusDays(1)));
        assertFalse(filing.covers(DEC_31.plusDays(1)));
    }

    @Test
    void aCancelledFilingCoversNothing() {
        assertFalse(temporary(FilingState.CANCELLED).covers(LocalDate.of(2026, 6, 1)));
    }

    @Test
    void anActiveFilingPastItsLastDayIsExpired() {
        assertEquals(FilingState.ACTIVE, temporary(FilingState.ACTIVE).stateOn(DEC_31));
        assertEquals(FilingState.EXPIRED, temporary(FilingState.ACTIVE).stateOn(DEC_31.plusDays(1)));
    }

    @Test
    void aLongTermFilingWithoutEndHoldsUntilChanged() {
        Filing filing = new Filing("F2", "P1", FilingCategory.RETIREE_RESETTLED, Admdvs.of("330000"), JAN_1,
                Optional.empty(), FilingState.ACTIVE);
        assertTrue(filing.covers(LocalDate.of(2040, 1, 1)));
        assertTrue(filing.category().longTerm());
    }

    @Test
    void refusesAnEndBeforeTheStart() {
        assertThrows(IllegalArgumentException.class, () -> new Filing("F3", "P1", FilingCategory.TEMPORARY,
                Admdvs.of("330000"), DEC_31, Optional.of(JAN_1), FilingState.ACTIVE));
    }

    @Test
    void nationalMaximaOfTheCrossProvinceReduction() {
        assertEquals(new BigDecimal("0.10"), FilingCategory.REFERRAL.maxReduction());
        assertEquals(new BigDecimal("0.10"), FilingCategory.EMERGENCY.maxReduction());
        assertEquals(new BigDecimal("0.20"), FilingCategory.TEMPORARY.maxReduction());
        assertEquals(0, FilingCategory.LONG_TERM_RESIDENT.maxReduction().signum());
    }

    @Test
    void codesOfTheNationalInterfaceMapBothWays() {
        assertEquals(InsuranceType.RESIDENT, InsuranceType.ofCode("390"));
        assertEquals(PersonType.EMPLOYEE_RETIRED, PersonType.ofCode("1102"));
        assertEquals(MedicalType.INPATIENT, MedicalType.ofCode("21"));
        assertEquals(Assistance.NONE, Assistance.ofCode(""));
        assertEquals(Assistance.MINIMUM_LIVING, Assistance.ofCode("B"));
        assertThrows(IllegalArgumentException.class, () -> MedicalType.ofCode("99"));
    }
}
