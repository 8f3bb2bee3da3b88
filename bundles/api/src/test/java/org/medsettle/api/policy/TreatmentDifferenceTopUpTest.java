package org.medsettle.api.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Money;
import org.medsettle.api.model.MedicalType;

class TreatmentDifferenceTopUpTest {

    private static Money yuan(String s) {
        return Money.ofYuan(s);
    }

    @Test
    void theTopUpIsTheRatioOfWhatHomeWouldHavePaidMoreRoundedToTheFen() {
        TreatmentDifferenceTopUp all = new TreatmentDifferenceTopUp(BigDecimal.ONE, yuan("5000.00"), Set.of());
        assertEquals(yuan("504.00"), all.amount(MedicalType.INPATIENT, yuan("6486.62"), yuan("6990.62")));
        TreatmentDifferenceTopUp part = new TreatmentDifferenceTopUp(new BigDecimal("0.8"), yuan("5000.00"), Set.of());
        // 0.01 × 0.8 = 0.008 → 0.01 (half-up)
        assertEquals(yuan("0.01"), part.amount(MedicalType.INPATIENT, yuan("100.00"), yuan("100.01")));
        assertEquals(yuan("403.20"), part.amount(MedicalType.INPATIENT, yuan("6486.62"), yuan("6990.62")));
    }

    @Test
    void nothingIsToppedUpWhenHomeWouldNotHavePaidMore() {
        TreatmentDifferenceTopUp t = new TreatmentDifferenceTopUp(BigDecimal.ONE, yuan("5000.00"), Set.of());
        assertEquals(Money.ZERO, t.amount(MedicalType.INPATIENT, yuan("6486.62"), yuan("5781.02")));
        assertEquals(Money.ZERO, t.amount(MedicalType.INPATIENT, yuan("6486.62"), yuan("6486.62")));
    }

    @Test
    void theTopUpStopsAtItsCapAndOnlyForTheNamedMedicalTypes() {
        TreatmentDifferenceTopUp t = new TreatmentDifferenceTopUp(BigDecimal.ONE, yuan("300.00"),
                Set.of(MedicalType.INPATIENT));
        assertEquals(yuan("300.00"), t.amount(MedicalType.INPATIENT, yuan("6486.62"), yuan("6990.62")));
        assertEquals(Money.ZERO, t.amount(MedicalType.GENERAL_OUTPATIENT, yuan("10.00"), yuan("50.00")));
    }

    @Test
    void aTopUpThatCouldNotPayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TreatmentDifferenceTopUp(BigDecimal.ZERO, yuan("1.00"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new TreatmentDifferenceTopUp(new BigDecimal("1.01"), yuan("1.00"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new TreatmentDifferenceTopUp(BigDecimal.ONE, Money.ZERO, Set.of()));
    }
}
