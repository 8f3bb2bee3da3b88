package org.medsettle.filings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingDetails;
import org.medsettle.api.filing.FilingRefusedException;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.Filing;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.FilingState;
import org.medsettle.api.store.Actor;
import org.medsettle.persons.internal.PersonRegistryService;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.AtOnce;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

@org.junit.jupiter.api.Tag("database")
class FilingRegistryServiceTest {

    static final String PERSONS = """
            psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name
            63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1101,,46000.00,市第一中学
            """;
    static final String PSN = "63000000000000000001";
    static final Admdvs ZHEJIANG = Admdvs.of("330000");
    static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    static final Actor CLERK = Actor.console("clerk");

    private StoreComponent store;
    private FilingRegistryService filings;


    private FilingRegistryService at(LocalDate day) {
        Clock clock = Clock.fixed(day.atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant().plusSeconds(36000), ZoneId.of("Asia/Shanghai"));
        return new FilingRegistryService(store, store, new PersonRegistryService(store, TestIdentities.node("630000")), TestIdentities.node("630000"), clock);
    }

    @BeforeEach
    void setUp() {
        store = TestStores.fresh();
        new PersonRegistryService(store, TestIdentities.node("630000")).importCsv(
                new ByteArrayInputStream(PERSONS.getBytes(StandardCharsets.UTF_8)), "persons.csv", CLERK, n -> { });
        filings = at(TODAY);
    }

    @Test
    void theFilingsTodayIsTheBusinessClocksOnAnInstanceRunWithAClockOffset() {
        // a training instance 400 days behind: a filing from ten days after the system's today is more than a year
        // ahead of the business's today, and refused as such, naming that day
        String before = System.getProperty(org.medsettle.api.BusinessClock.PROPERTY);
        System.setProperty(org.medsettle.api.BusinessClock.PROPERTY, "-P400D");
        try {
            FilingRegistryService onTheBusinessClock = new FilingRegistryService(store, store,
                    new PersonRegistryService(store, TestIdentities.node("630000")), TestIdentities.node("630000"));
            LocalDate businessToday = org.medsettle.api.BusinessClock.today();
            LocalDate validFrom = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(10);
            FilingRefusedException refused = assertThrows(FilingRefusedException.class, () -> onTheBusinessClock.file(
                    new FilingRequest(PSN, FilingCategory.TEMPORARY, ZHEJIANG, validFrom, Optional.empty(), "个人承诺", ""),
                    CLERK, "test"));
            assertTrue(refused.getMessage().contains("more than a year ahead of today " + businessToday),
                    refused.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(org.medsettle.api.BusinessClock.PROPERTY);
            } else {
                System.setProperty(org.medsettle.api.BusinessClock.PROPERTY, before);
            }
        }
    }

    private static FilingRequest temporary(LocalDate from) {
        return new FilingRequest(PSN, FilingCategory.TEMPORARY, ZHEJIANG, from, Optional.empty(), "个人承诺", "");
    }

    private static FilingRequest longTerm(LocalDate from) {
        return new FilingRequest(PSN, FilingCategory.RETIREE_RESETTLED, Admdvs.of("330100"), from, Optional.empty(),
                "居住证明", "");
    }

    @Test
    void aTemporaryFilingHoldsSixMonthsByDefaultAndCoversAdmissionsInThatTime() {
        Filing filing = filings.file(temporary(TODAY), CLERK, "");
        assertEquals(Optional.of(LocalDate.of(2026, 8, 31)), filing.validTo());
        assertTrue(filing.filingId().startsWith("F630000"));
        assertEquals(filing, filings.covering(PSN, Admdvs.of("330106"), LocalDate.of(2026, 8, 31)).orElseThrow());
        assertTrue(filings.covering(PSN, ZHEJIANG, LocalDate.of(2026, 9, 1)).isEmpty());
        assertTrue(filings.covering(PSN, Admdvs.of("110000"), TODAY).isEmpty(), "another province");
    }

    @Test
    void aLateFilingBeforeDischargeCoversAnEarlierAdmission() {
        assertTrue(filings.covering(PSN, ZHEJIANG, TODAY.minusDays(10)).isEmpty());
        filings.file(temporary(TODAY.minusDays(10)), CLERK, "补办");
        assertTrue(filings.covering(PSN, ZHEJIANG, TODAY.minusDays(10)).isPresent());
    }

    @Test
    void filingsForOnePersonAndProvinceMadeAtOnceLeaveOneInForceTheOthersSuperseded() throws Exception {
        // the agency's counter and the online service (or two instances of the node) filing the same person at once
        filings.file(temporary(TODAY), CLERK, "");
        for (int round = 0; round < 5; round++) {
            List<java.util.concurrent.Callable<Filing>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                FilingRegistryService instance = at(TODAY);
                all.add(() -> instance.file(temporary(TODAY), CLERK, ""));
            }
            AtOnce.run(all);
            List<Filing> active = filings.forPerson(PSN).stream().filter(f -> f.state() == FilingState.ACTIVE)
                    .toList();
            assertEquals(1, active.size(), "round " + round + ": " + active);
        }
    }

    @Test
    void anEmergencysFilingRecordedByTwoSettlementsAtOnceIsRecordedOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            LocalDate day = TODAY.minusDays(round);
            List<java.util.concurrent.Callable<Filing>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                FilingRegistryService instance = at(TODAY);
                all.add(() -> instance.emergency(PSN, ZHEJIANG, day,
                        new Actor("330000", org.medsettle.api.store.AuditChannel.LINK)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (Filing f : AtOnce.run(all)) {
                ids.add(f.filingId());
            }
            assertEquals(1, ids.size(), "round " + round + ": " + ids);
            assertEquals(round + 1, filings.forPerson(PSN).stream()
                    .filter(f -> f.category() == FilingCategory.EMERGENCY).count(), "round " + round);
        }
    }

    @Test
    void aFilingCancelledTwiceAtOnceOrWhileANewOneSupersedesItChangesOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            Filing filing = filings.file(temporary(TODAY), CLERK, "");
            boolean withNew = round % 2 == 1;
            FilingRegistryService a = at(TODAY);
            FilingRegistryService b = at(TODAY);
            List<String> outcomes = AtOnce.run(List.<java.util.concurrent.Callable<String>>of(() -> {
                try {
                    a.cancel(filing.filingId(), CLERK, "moved", false);
                    return "cancelled";
                } catch (FilingRefusedException e) {
                    return e.getMessage();
                }
            }, () -> {
                try {
                    if (withNew) {
                        b.file(temporary(TODAY), CLERK, "");
                        return "filed";
                    }
                    b.cancel(filing.filingId(), CLERK, "moved", false);
                    return "cancelled";
                } catch (FilingRefusedException e) {
                    return e.getMessage();
                }
            }));
            List<String> history = filings.details(filing.filingId()).orElseThrow().history().stream()
                    .map(h -> h.action()).toList();
            assertEquals(2, history.size(), "round " + round + ": filed, then one change: " + history + " " + outcomes);
            assertEquals(withNew ? 1 : 0, filings.forPerson(PSN).stream()
                    .filter(f -> f.state() == FilingState.ACTIVE).count(), "round " + round + ": " + outcomes);
            if (!withNew) {
                assertEquals(1, outcomes.stream().filter("cancelled"::equals).count(), outcomes.toString());
                assertTrue(outcomes.stream().anyMatch(o -> o.contains(filing.filingId() + " is CANCELLED, not active")),
                        outcomes.toString());
            }
        }
    }

    @Test
    void aNewFilingSupersedesTheActiveOneAndTheHistoryKeepsBoth() {
        Filing first = filings.file(temporary(TODAY), CLERK, "");
        Filing second = filings.file(new FilingRequest(PSN, FilingCategory.REFERRAL, ZHEJIANG, TODAY.plusDays(5),
                Optional.of(TODAY.plusMonths(7)), "转诊意见", "H33030000001"), CLERK, "referred");
        FilingDetails old = filings.details(first.filingId()).orElseThrow();
        assertEquals(FilingState.SUPERSEDED, old.filing().state());
        assertEquals(Optional.of(second.filingId()), old.supersededBy());
        assertEquals(List.of("FILED", "SUPERSEDED"), old.history().stream().map(h -> h.action()).toList());
        assertEquals(2, filings.forPerson(PSN).size());
        assertEquals(second.filingId(), filings.forPerson(PSN).get(0).filingId());
        assertEquals("H33030000001", filings.details(second.filingId()).orElseThrow().receivingHospital());
        // newest first, those filed at the same time (this test's clock stands still) by their ids, the larger first
        Filing third = filings.file(temporary(TODAY.plusDays(9)), CLERK, "");
        assertEquals(List.of(third.filingId(), second.filingId(), first.filingId()),
                filings.forPerson(PSN).stream().map(Filing::filingId).toList());
    }

    @Test
    void aLongTermFilingIsNeitherChangedNorCancelledWithinSixMonthsUnlessThePersonMovedBack() {
        Filing filing = filings.file(longTerm(TODAY), CLERK, "");
        assertTrue(filing.validTo().isEmpty());
        FilingRefusedException change = assertThrows(FilingRefusedException.class,
                () -> filings.file(temporary(TODAY.plusDays(1)), CLERK, ""));
        assertTrue(change.getMessage().contains("cannot be changed before 2026-09-01"), change.getMessage());
        assertThrows(FilingRefusedException.class, () -> filings.cancel(filing.filingId(), CLERK, "changed mind", false));
        assertEquals(FilingState.CANCELLED, filings.cancel(filing.filingId(), CLERK, "returned home", true).state());
        assertTrue(filings.covering(PSN, ZHEJIANG, TODAY).isEmpty());
        assertEquals("moved back: returned home", filings.details(filing.filingId()).orElseThrow().history().get(1).reason());
    }

    @Test
    void aLongTermFilingsSixMonthsRunFromTheDayItWasMadeNotFromTheDayItStarts() {
        // a late filing (补办) starting seven months back: still locked for six months from today
        Filing late = filings.file(longTerm(TODAY.minusMonths(7)), CLERK, "补办");
        FilingRefusedException change = assertThrows(FilingRefusedException.class,
                () -> filings.file(temporary(TODAY.plusDays(1)), CLERK, ""));
        assertEquals("psn_no", change.field());
        assertTrue(change.getMessage().contains("cannot be changed before 2026-09-01, 6 months after it was made"),
                change.getMessage());
        FilingRefusedException cancel = assertThrows(FilingRefusedException.class,
                () -> filings.cancel(late.filingId(), CLERK, "changed mind", false));
        assertTrue(cancel.getMessage().contains("cannot be cancelled before 2026-09-01"), cancel.getMessage());
        assertEquals(FilingState.ACTIVE, filings.details(late.filingId()).orElseThrow().filing().state());
        // the day before the six months end it still holds; on that day it can be cancelled
        assertThrows(FilingRefusedException.class,
                () -> at(LocalDate.of(2026, 8, 31)).cancel(late.filingId(), CLERK, "changed mind", false));
        assertEquals(FilingState.CANCELLED,
                at(LocalDate.of(2026, 9, 1)).cancel(late.filingId(), CLERK, "changed mind", false).state());
    }

    @Test
    void anAdvanceLongTermFilingIsLockedSixMonthsFromTheDayItWasMadeNotFromItsStart() {
        // made today for three months ahead: changeable six months from today, three months after it started
        Filing ahead = filings.file(longTerm(TODAY.plusMonths(3)), CLERK, "");
        Filing later = at(TODAY.plusMonths(6)).file(temporary(TODAY.plusMonths(6)), CLERK, "");
        assertEquals(FilingState.SUPERSEDED, filings.details(ahead.filingId()).orElseThrow().filing().state());
        assertEquals(FilingState.ACTIVE, later.state());
    }

    @Test
    void aFilingCannotStartBeforeThePersonWasBorn() {
        FilingRefusedException refused = assertThrows(FilingRefusedException.class,
                () -> filings.file(temporary(LocalDate.of(1996, 8, 9)), CLERK, "补办"));
        assertEquals("valid_from", refused.field());
        assertEquals("1996-08-09 is before the person was born", refused.getMessage().replaceFirst("^valid_from: ", ""));
        assertTrue(filings.forPerson(PSN).isEmpty());
        assertEquals(LocalDate.of(1996, 8, 10), filings.file(temporary(LocalDate.of(1996, 8, 10)), CLERK, "补办").validFrom());
    }

    @Test
    void afterSixMonthsALongTermFilingCanBeChanged() {
        Filing filing = filings.file(longTerm(TODAY), CLERK, "");
        Filing later = at(TODAY.plusMonths(7)).file(temporary(TODAY.plusMonths(7)), CLERK, "");
        assertEquals(FilingState.SUPERSEDED, filings.details(filing.filingId()).orElseThrow().filing().state());
        assertEquals(FilingState.ACTIVE, later.state());
    }

    @Test
    void refusalsNameTheFieldAndChangeNothing() {
        assertEquals("psn_no", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest("63000000000000000099", FilingCategory.TEMPORARY, ZHEJIANG, TODAY, Optional.empty(),
                        "个人承诺", ""), CLERK, "")).field());
        assertEquals("mdtrtarea_admvs", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest(PSN, FilingCategory.TEMPORARY, Admdvs.of("630100"), TODAY, Optional.empty(),
                        "个人承诺", ""), CLERK, "")).field());
        assertEquals("valid_to", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest(PSN, FilingCategory.TEMPORARY, ZHEJIANG, TODAY, Optional.of(TODAY.plusMonths(2)),
                        "个人承诺", ""), CLERK, "")).field());
        assertEquals("valid_to", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest(PSN, FilingCategory.STATIONED_WORKER, ZHEJIANG, TODAY, Optional.of(TODAY.plusYears(2)),
                        "工作证明", ""), CLERK, "")).field());
        assertEquals("evidence", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest(PSN, FilingCategory.REFERRAL, ZHEJIANG, TODAY, Optional.empty(), " ", ""),
                CLERK, "")).field());
        assertEquals("valid_from", assertThrows(FilingRefusedException.class, () -> filings.file(
                temporary(TODAY.plusYears(2)), CLERK, "")).field());
        // text that is not one line of readable characters: an escape, a line break, a right-to-left override
        assertEquals("evidence", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest(PSN, FilingCategory.TEMPORARY, ZHEJIANG, TODAY, Optional.empty(),
                        "个人承诺\u001b[31m", ""), CLERK, "")).field());
        assertEquals("reason", assertThrows(FilingRefusedException.class, () -> filings.file(
                temporary(TODAY), CLERK, "moved\n| F1 | ACTIVE")).field());
        assertEquals("receiving_hospital", assertThrows(FilingRefusedException.class, () -> filings.file(
                new FilingRequest(PSN, FilingCategory.REFERRAL, ZHEJIANG, TODAY, Optional.empty(), "转诊单",
                        "H3301\u202e"), CLERK, "")).field());
        assertTrue(filings.forPerson(PSN).isEmpty());
        Filing filed = filings.file(temporary(TODAY), CLERK, "");
        assertEquals("reason", assertThrows(FilingRefusedException.class, () -> filings.cancel(filed.filingId(), CLERK,
                "wrong\u0000person", false)).field());
        assertEquals(FilingState.ACTIVE, filings.forPerson(PSN).get(0).state());
    }

    @Test
    void anEmergencyVisitWithoutFilingRecordsOneEmergencyFilingForItsDayAndSupersedesNothing() {
        Filing planned = filings.file(temporary(TODAY.plusMonths(1)), CLERK, "");
        Filing emergency = filings.emergency(PSN, ZHEJIANG, TODAY, new Actor("H33030000001", org.medsettle.api.store.AuditChannel.HIS));
        assertEquals(FilingCategory.EMERGENCY, emergency.category());
        assertEquals(Optional.of(TODAY), emergency.validTo());
        assertEquals(emergency, filings.emergency(PSN, ZHEJIANG, TODAY, CLERK));
        assertEquals(FilingState.ACTIVE, filings.details(planned.filingId()).orElseThrow().filing().state());
        assertEquals(emergency, filings.covering(PSN, ZHEJIANG, TODAY).orElseThrow());
        assertTrue(filings.covering(PSN, ZHEJIANG, TODAY.plusDays(1)).isEmpty(), "it covers its day only");
    }

    @Test
    void aCancelledFilingStaysWithItsHistory() {
        Filing filing = filings.file(temporary(TODAY), CLERK, "");
        filings.cancel(filing.filingId(), CLERK, "person asked", false);
        assertThrows(FilingRefusedException.class, () -> filings.cancel(filing.filingId(), CLERK, "again", false));
        FilingDetails details = filings.details(filing.filingId()).orElseThrow();
        assertEquals(FilingState.CANCELLED, details.filing().state());
        assertEquals("clerk", details.history().get(1).operator());
        assertFalse(filings.forPerson(PSN).isEmpty());
        assertEquals("FILING_CANCELLED", store.recent(1, Optional.empty()).get(0).event().type());
    }
}
