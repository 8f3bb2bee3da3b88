package org.medsettle.insured.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.CoverageRefusedException;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.PoolAccumulator;
import org.medsettle.api.store.Actor;
import org.medsettle.filings.internal.FilingRegistryService;
import org.medsettle.persons.internal.PersonRegistryService;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.AtOnce;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

@org.junit.jupiter.api.Tag("database")
class LocalInsuredPlaceTest {

    static final String PSN = "63000000000000000001";
    private StoreComponent store;
    private PersonRegistryService persons;
    private FilingRegistryService filings;
    private LocalInsuredPlace place;
    private org.medsettle.ledger.internal.LedgerService ledger;


    @BeforeEach
    void setUp() {
        store = TestStores.fresh(
                TestStores.OwnSchema.of(org.medsettle.ledger.internal.LedgerService.class, "db/ledger", "medsettle-ledger"),
                TestStores.OwnSchema.of(LocalInsuredPlace.class, "db/insured", "medsettle-insured"));
        persons = new PersonRegistryService(store, TestIdentities.node("630000"));
        persons.importCsv(new ByteArrayInputStream(("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + PSN + ",631303199608106108,成杰,2,1996-08-10,310,1101,,100.00,\n").getBytes(StandardCharsets.UTF_8)),
                "p.csv", Actor.console("t"), n -> { });
        filings = new FilingRegistryService(store, store, persons, TestIdentities.node("630000"));
        ledger = new org.medsettle.ledger.internal.LedgerService(store, Clock.systemUTC());
        place = new LocalInsuredPlace(store, persons, filings, TestIdentities.node("630000"), store, ledger,
                Clock.systemUTC());
        filings.file(new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("330000"), LocalDate.of(2026, 1, 1),
                Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""), Actor.console("t"), "");
    }

    private Coverage coverage() {
        return place.coverage(new CoverageQuery(Admdvs.of("630000"), PSN, Admdvs.of("330000"), LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 5), MedicalType.INPATIENT, true));
    }

    private static ApplyRequest request(String setlId, long version, long inscpFen, long balanceFen) {
        return request(setlId, version, inscpFen, balanceFen, null);
    }

    private static ApplyRequest request(String setlId, long version, long inscpFen, long balanceFen, String filingId) {
        Accumulators change = new Accumulators(Map.of("inpatient", new PoolAccumulator(Money.ofFen(inscpFen),
                Money.ofFen(inscpFen / 2), Money.ZERO)), 1, Map.of(), Money.ZERO, Money.ofFen(balanceFen));
        Money z = Money.ZERO;
        SettlementAmounts amounts = new SettlementAmounts(z, z, z, z, z, z, z, java.math.BigDecimal.ZERO, z, z, z, z, z,
                z, z, z, Money.ofFen(-balanceFen), z, z);
        return new ApplyRequest(Admdvs.of("630000"), setlId, PSN, "M1", Admdvs.of("330000"), "H33010000003",
                MedicalType.INPATIENT, LocalDateTime.of(2026, 3, 5, 10, 0), 2026, version, change, amounts, filingId,
                LocalDate.of(2026, 3, 1));
    }

    @Test
    void aSettlementComputedUnderAFilingCancelledSinceIsAConflictButARepeatOfAnAppliedOneIsStillApplied() {
        Coverage cov = coverage();
        assertEquals(ApplyResult.Outcome.APPLIED,
                place.apply(request("S1", cov.version(), 10_000, -1_000, cov.filingId())).outcome());
        Coverage after = coverage();
        filings.cancel(cov.filingId(), Actor.console("t"), "moved back", true);
        ApplyResult stale = place.apply(request("S2", after.version(), 10_000, -1_000, cov.filingId()));
        assertEquals(ApplyResult.Outcome.CONFLICT, stale.outcome());
        assertEquals(after.version(), stale.version(), "nothing applied");
        assertEquals(Money.ofFen(9_000), place.accumulators(PSN, 2026).accountBalance());
        assertEquals(ApplyResult.Outcome.APPLIED,
                place.apply(request("S1", cov.version(), 10_000, -1_000, cov.filingId())).outcome(), "a repeat");
        assertEquals(Money.ofFen(9_000), place.accumulators(PSN, 2026).accountBalance());
    }

    @Test
    void aChangeComputedFromAnOldVersionIsAConflictAndChangesNothing() {
        Coverage first = coverage();
        assertEquals(ApplyResult.Outcome.APPLIED, place.apply(request("S1", first.version(), 10_000, -1_000)).outcome());
        ApplyResult stale = place.apply(request("S2", first.version(), 10_000, -1_000));
        assertEquals(ApplyResult.Outcome.CONFLICT, stale.outcome());
        Coverage now = coverage();
        assertEquals(first.version() + 1, now.version());
        assertEquals(Money.ofFen(10_000), now.accumulators().pool("inpatient").inscp());
        assertEquals(Money.ofYuan("90.00"), now.accumulators().accountBalance());
        assertEquals(1, now.accumulators().inpatientAdmissions());
    }

    @Test
    void theSameSettlementIsAppliedOnceHoweverOftenItArrives() {
        long v = coverage().version();
        place.apply(request("S1", v, 10_000, -1_000));
        assertEquals(ApplyResult.Outcome.APPLIED, place.apply(request("S1", v, 10_000, -1_000)).outcome());
        assertEquals(Money.ofFen(10_000), coverage().accumulators().pool("inpatient").inscp());
    }

    @Test
    void theAccountIsNeverOverdrawn() {
        ApplyResult r = place.apply(request("S1", coverage().version(), 10_000, -20_000));
        assertEquals(ApplyResult.Outcome.CONFLICT, r.outcome());
        assertEquals(Money.ofYuan("100.00"), coverage().accumulators().accountBalance());
    }

    @Test
    void anUndoTakesBackExactlyWhatWasAppliedOnceAndALateApplyOfAReleasedSettlementIsRefused() {
        place.apply(request("S1", coverage().version(), 10_000, -1_000));
        assertTrue(place.undo(Admdvs.of("630000"), "S1", "R1").applied());
        assertTrue(place.undo(Admdvs.of("630000"), "S1", "R1").applied(), "the same undo again answers as the first");
        assertThrows(CoverageRefusedException.class, () -> place.undo(Admdvs.of("630000"), "S1", "R2"));
        Coverage after = coverage();
        assertEquals(Money.ZERO, after.accumulators().pool("inpatient").inscp());
        assertEquals(0, after.accumulators().inpatientAdmissions());
        assertEquals(Money.ofYuan("100.00"), after.accumulators().accountBalance());

        assertFalse(place.undo(Admdvs.of("630000"), "S9", "S9").applied(), "never applied");
        // computed on the account as it is: its change is made, then its row is found there (the undo's marker) and
        // the whole apply is rolled back
        assertEquals(ApplyResult.Outcome.REFUSED, place.apply(request("S9", after.version(), 10_000, -500)).outcome());
        Coverage unchanged = coverage();
        assertEquals(after.version(), unchanged.version(), "nothing of the refused apply is kept");
        assertEquals(Money.ZERO, unchanged.accumulators().pool("inpatient").inscp());
        assertEquals(Money.ofYuan("100.00"), unchanged.accumulators().accountBalance());
        // a repeat of the undone one, computed before its undo
        assertEquals(ApplyResult.Outcome.REFUSED, place.apply(request("S1", after.version() - 2, 10_000, -1_000))
                .outcome());
        assertEquals(after.version(), coverage().version());
    }

    @Test
    void undosOfOneSettlementArrivingAtOnceTakeItBackOnceAndRefuseTheOthers() throws Exception {
        for (int round = 0; round < 5; round++) {
            String setlId = "S" + round;
            place.apply(request(setlId, coverage().version(), 10_000, -1_000));
            java.util.List<java.util.concurrent.Callable<Object>> undos = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String undoId = "R" + round + "-" + i;
                undos.add(() -> {
                    try {
                        return place.undo(Admdvs.of("630000"), setlId, undoId);
                    } catch (CoverageRefusedException e) {
                        return e;
                    }
                });
            }
            int undone = 0;
            for (Object answer : AtOnce.run(undos)) {
                if (answer instanceof CoverageRefusedException e) {
                    assertTrue(e.getMessage().startsWith("settlement " + setlId + " was already reversed (R" + round
                            + "-"), e.getMessage());
                } else {
                    assertTrue(((org.medsettle.api.insured.UndoResult) answer).applied());
                    undone++;
                }
            }
            assertEquals(1, undone, "round " + round);
            Coverage after = coverage();
            assertEquals(Money.ZERO, after.accumulators().pool("inpatient").inscp(), "round " + round);
            assertEquals(Money.ofYuan("100.00"), after.accumulators().accountBalance(), "round " + round);
        }
        // a settlement never applied here, its undo sent at once by two instances: both answered "not applied"
        for (int round = 0; round < 5; round++) {
            String setlId = "N" + round;
            java.util.List<java.util.concurrent.Callable<Boolean>> undos = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                undos.add(() -> place.undo(Admdvs.of("630000"), setlId, setlId).applied());
            }
            for (boolean applied : AtOnce.run(undos)) {
                assertFalse(applied, "round " + round);
            }
            assertEquals(ApplyResult.Outcome.REFUSED, place.apply(request(setlId, coverage().version(), 10_000, -500))
                    .outcome(), "a late apply of " + setlId);
        }
        assertEquals(java.util.List.of(), ledger.verify().problems());
    }

    @Test
    void noFilingNoCoverageButAnEmergencyVisitRecordsItsEmergencyFiling() {
        CoverageRefusedException e = assertThrows(CoverageRefusedException.class, () -> place.coverage(
                new CoverageQuery(Admdvs.of("630000"), PSN, Admdvs.of("110000"), LocalDate.of(2026, 3, 1),
                        LocalDate.of(2026, 3, 1), MedicalType.INPATIENT, true)));
        assertTrue(e.getMessage().contains("no filing (备案)"), e.getMessage());
        Coverage emergency = place.coverage(new CoverageQuery(Admdvs.of("630000"), PSN, Admdvs.of("110000"),
                LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 1), MedicalType.EMERGENCY_OUTPATIENT, true));
        assertEquals(FilingCategory.EMERGENCY, emergency.category());
        assertTrue(emergency.filingId().startsWith("F630000"));
    }
}
