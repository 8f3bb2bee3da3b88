package org.medsettle.supervision.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.supervision.Supervision;
import org.medsettle.api.supervision.Supervision.Finding;
import org.medsettle.api.supervision.Supervision.Mode;
import org.medsettle.api.supervision.Supervision.Rule;

/** The supervision rules on facts made up here: what each finds, what it leaves alone, how settings change them. */
class RulesTest {

    private static final LocalDateTime NOW = LocalDateTime.parse("2026-06-01T12:00:00");

    private static LocalDateTime t(String s) {
        return LocalDateTime.parse(s.replace(' ', 'T'));
    }

    private static Supervision.Stay stay(String id, String hospital, String begin, String end, String state) {
        return new Supervision.Stay(id, "P1", hospital, true, t(begin), Optional.ofNullable(end).map(RulesTest::t),
                state);
    }

    private static Supervision.Stay outpatient(String id, String hospital, String at, String state) {
        return new Supervision.Stay(id, "P1", hospital, false, t(at), Optional.of(t(at)), state);
    }

    private static StayFacts.Line line(String visit, String sn, String code, String name, String kind, String time,
                                       String cnt) {
        return new StayFacts.Line(visit, sn, code, name, kind, t(time), new BigDecimal(cnt));
    }

    /** A blood test every day of March 1 to 5 on visit V. */
    private static List<StayFacts.Line> daily() {
        List<StayFacts.Line> l = new ArrayList<>();
        for (int d = 1; d <= 5; d++) {
            l.add(line("V", "A" + d, "S1", "血常规", "service", "2026-03-0" + d + " 10:00:00", "1"));
        }
        return l;
    }

    private static final Supervision.Stay V = stay("V", "H1", "2026-03-01 09:00:00", "2026-03-05 10:00:00",
            "DISCHARGED");

    private static List<Finding> findings(StayFacts f) {
        return Rules.findings(f, NOW, RuleSettings.DEFAULT);
    }

    @Test
    void aPlainStayHasNoFinding() {
        assertEquals(List.of(), findings(new StayFacts(V, daily(), List.of(), List.of(), List.of())));
    }

    @Test
    void overlapsAreFoundForStaysAndForOutpatientVisitsElsewhereButNotForTransfersOrCancelledWork() {
        List<Supervision.Stay> others = List.of(
                stay("W", "H2", "2026-03-04 08:00:00", null, "OPEN"),                        // open, overlapping
                stay("X", "H2", "2026-03-05 14:00:00", "2026-03-09 10:00:00", "SETTLED"),    // transfer after discharge
                outpatient("Y", "H3", "2026-03-03 15:00:00", "SETTLED"),                     // outpatient elsewhere
                outpatient("Z", "H1", "2026-03-03 15:00:00", "SETTLED"),                     // same hospital: its own
                outpatient("Q", "H3", "2026-03-02 15:00:00", "OPEN"));                       // not settled
        List<String> found = Rules.overlappingStays(new StayFacts(V, daily(), others, List.of(), List.of()), NOW);
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).contains("in hospital at H2 at the same time (visit W, 2026-03-04 08:00 to not "
                + "discharged)"), found.get(0));
        assertTrue(found.get(1).contains("an outpatient visit settled at H3 during the stay (visit Y"), found.get(1));
        // the outpatient visit's own view: in hospital at H1 then
        List<String> reverse = Rules.overlappingStays(new StayFacts(outpatient("Y", "H3", "2026-03-03 15:00:00",
                "OPEN"), List.of(), List.of(V), List.of(), List.of()), NOW);
        assertEquals(1, reverse.size(), reverse.toString());
    }

    @Test
    void repeatsAreNetOfReversalsAndCountAcrossSettledVisits() {
        List<StayFacts.Line> lines = new ArrayList<>(daily());
        lines.add(line("V", "B1", "S1", "血常规", "service", "2026-03-02 10:00:00", "0"));   // reversed whole
        lines.add(line("V", "B2", "S1", "血常规", "service", "2026-03-03 10:00:00", "1"));
        List<StayFacts.Line> elsewhere = List.of(line("U", "C9", "S1", "血常规", "service", "2026-03-05 10:00:00",
                "1"), line("U", "C8", "S1", "血常规", "service", "2026-03-04 10:00:00", "0"));
        List<String> found = Rules.repeatedItems(new StayFacts(V, lines, List.of(), elsewhere, List.of()));
        assertEquals(List.of("item S1 (血常规) billed 2 times at 2026-03-03 10:00 (feedetl_sn A3, B2)",
                "item S1 (血常规) at 2026-03-05 10:00 (feedetl_sn A5) was settled in visit U already (feedetl_sn C9)"),
                found);
    }

    @Test
    void idleRunsCountFromAdmissionToTheDayBeforeDischarge() {
        Supervision.Stay tenDays = stay("V", "H1", "2026-03-01 09:00:00", "2026-03-10 10:00:00", "DISCHARGED");
        List<StayFacts.Line> lines = List.of(line("V", "A", "S1", "", "service", "2026-03-01 10:00:00", "1"),
                line("V", "B", "S1", "", "service", "2026-03-04 10:00:00", "1"),
                line("V", "C", "S1", "", "service", "2026-02-01 10:00:00", "1"));   // before the stay: no matter
        List<String> found = Rules.idleDays(new StayFacts(tenDays, lines, List.of(), List.of(), List.of()), NOW, 3);
        assertEquals(List.of("nothing billed on 5 consecutive days of the stay, 2026-03-05 to 2026-03-09 (admitted "
                + "2026-03-01)"), found, "03-02/03 is two days only; the discharge day is not counted");
        assertEquals(2, Rules.idleDays(new StayFacts(tenDays, lines, List.of(), List.of(), List.of()), NOW, 2).size());
        // a stay not discharged yet runs until now
        Supervision.Stay open = stay("V", "H1", "2026-05-25 09:00:00", null, "OPEN");
        assertEquals(1, Rules.idleDays(new StayFacts(open, List.of(line("V", "A", "S1", "", "service",
                "2026-05-25 10:00:00", "1")), List.of(), List.of(), List.of()), NOW, 3).size());
    }

    @Test
    void quantitiesAreJudgedPerDayOfTheVisitByCodeThenBedFeeThenKind() {
        List<StayFacts.Line> lines = List.of(
                line("V", "A", "BED", "床位费(三人间)", "service", "2026-03-01 10:00:00", "5"),   // 5 days: fine
                line("V", "B", "DRUG", "片", "drug", "2026-03-01 10:00:00", "400"),
                line("V", "C", "DRUG", "片", "drug", "2026-03-02 10:00:00", "101"),            // 501 > 100 x 5
                line("V", "D", "MAT", "耗材", "material", "2026-03-02 10:00:00", "20"),
                line("V", "E", "UNKNOWN", "", "", "2026-03-02 10:00:00", "9999"));             // not in the catalogue
        StayFacts f = new StayFacts(V, lines, List.of(), List.of(), List.of());
        assertEquals(List.of("item DRUG (片): 501 units in 5 day(s), more than 100 a day (quantityPerDay.drug)"),
                Rules.implausibleQuantities(f, NOW, RuleSettings.DEFAULT));
        RuleSettings strict = RuleSettings.of(Map.of("quantityLimits", "MAT:2, BED:0.5", "bedFeePerDay", "1"));
        List<String> found = Rules.implausibleQuantities(f, NOW, strict);
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.get(0).endsWith("more than 0.5 a day (quantityLimits)"), found.get(0));
        // an outpatient visit counts one day
        Supervision.Stay o = outpatient("V", "H1", "2026-03-01 09:00:00", "OPEN");
        assertEquals(1, Rules.implausibleQuantities(new StayFacts(o, List.of(line("V", "A", "BED", "床位费", "service",
                "2026-03-01 10:00:00", "2")), List.of(), List.of(), List.of()), NOW, RuleSettings.DEFAULT).size());
    }

    @Test
    void identityFailuresCountWithinTheWindowBeforeAdmission() {
        List<StayFacts.IdentityFailure> failures = List.of(
                new StayFacts.IdentityFailure("H2", t("2026-01-01 10:00:00"), "old"),
                new StayFacts.IdentityFailure("H1", t("2026-02-20 10:00:00"), "the name given (psn_name) is not"));
        List<String> found = Rules.identity(new StayFacts(V, daily(), List.of(), List.of(), failures), 30);
        assertEquals(List.of("the identity check at H1 on 2026-02-20 10:00 failed: the name given (psn_name) is not"),
                found);
    }

    @Test
    void eachRuleFlagsBlocksOrIsOffAsSet() {
        List<StayFacts.Line> lines = List.of(line("V", "A", "S1", "", "service", "2026-03-01 10:00:00", "1"));
        StayFacts idle = new StayFacts(V, lines, List.of(), List.of(), List.of());
        assertEquals(List.of(Mode.FLAG), Rules.findings(idle, NOW, RuleSettings.DEFAULT).stream().map(Finding::mode)
                .toList());
        assertEquals(List.of(Mode.BLOCK), Rules.findings(idle, NOW, RuleSettings.of(Map.of("idle-stay", "Block")))
                .stream().map(Finding::mode).toList());
        assertEquals(List.of(), Rules.findings(idle, NOW, RuleSettings.of(Map.of("idle-stay", "off"))));
        assertEquals(Rule.IDLE_STAY, Rules.findings(idle, NOW, RuleSettings.DEFAULT).get(0).rule());
    }

    @Test
    void settingsThatCannotBeReadKeepTheirDefaultsAndAreNamed() {
        RuleSettings s = RuleSettings.of(Map.of("idle-stay", "maybe", "idleDays", "0", "quantityPerDay.drug", "-1",
                "quantityLimits", "X:2, Y, Z:abc", "identityWindowDays", "many"));
        assertEquals(Mode.FLAG, s.mode(Rule.IDLE_STAY));
        assertEquals(3, s.idleDays());
        assertEquals(new BigDecimal("100"), s.perDayByKind().get("drug"));
        assertEquals(Map.of("X", new BigDecimal("2")), s.perDayByCode());
        assertEquals(30, s.identityWindowDays());
        assertEquals(6, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).startsWith("idle-stay = 'maybe' is not flag, block or off"), s.problems().get(0));
    }
}
