package org.medsettle.clearing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingCase;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;
import org.medsettle.clearing.internal.Matcher.HubLine;

class MatcherTest {

    private static final Admdvs ZJ = Admdvs.of("330000");
    private static final Admdvs QH = Admdvs.of("630000");
    private static final Admdvs HN = Admdvs.of("410000");
    private static final YearMonth NOV = YearMonth.of(2026, 11);

    record Outcome(String what, String setlId) {
    }

    private static HubLine line(Admdvs t, String id, Movement m, Admdvs i, long hifp) {
        return new HubLine(t, id, m, i, NOV, new FundAmounts(hifp, 0, 0, 0, 0, 0, 0, 100));
    }

    private static List<Outcome> match(List<HubLine> claims, List<HubLine> applications, Set<Admdvs> reported) {
        List<Outcome> out = new ArrayList<>();
        Matcher.match(claims.iterator(), applications.iterator(), reported, new Matcher.Sink() {
            public void cleared(HubLine claim) {
                out.add(new Outcome("CLEARED", claim.setlId() + claim.movement().sign()));
            }

            public void carried(ClearingCase.Kind kind, HubLine claim, HubLine application) {
                out.add(new Outcome(kind.name(), (claim != null ? claim : application).setlId()
                        + (claim != null ? claim : application).movement().sign()));
            }
        });
        return out;
    }

    @Test
    void sameLinesOnBothSidesClearAndEveryDifferenceIsACaseOfItsKind() {
        List<HubLine> claims = List.of(line(ZJ, "S1", Movement.SETTLED, QH, 500), line(ZJ, "S1", Movement.UNDONE, QH, -500),
                line(ZJ, "S2", Movement.SETTLED, QH, 700), line(ZJ, "S3", Movement.SETTLED, QH, 900),
                line(ZJ, "S5", Movement.SETTLED, HN, 100));
        List<HubLine> applications = List.of(line(ZJ, "S1", Movement.SETTLED, QH, 500),
                line(ZJ, "S1", Movement.UNDONE, QH, -500), line(ZJ, "S2", Movement.SETTLED, QH, 701),
                line(ZJ, "S4", Movement.SETTLED, QH, 300));
        assertEquals(List.of(new Outcome("CLEARED", "S1+"), new Outcome("CLEARED", "S1-"),
                new Outcome("AMOUNTS_DIFFER", "S2+"), new Outcome("NOT_APPLIED", "S3+"),
                new Outcome("NOT_CLAIMED", "S4+"), new Outcome("NO_REPORT", "S5+")),
                match(claims, applications, Set.of(ZJ, QH)));
    }

    @Test
    void aLineWhoseInsuredProvinceDiffersIsNotCleared() {
        assertEquals(List.of(new Outcome("AMOUNTS_DIFFER", "S1+")), match(List.of(line(ZJ, "S1", Movement.SETTLED, QH, 5)),
                List.of(line(ZJ, "S1", Movement.SETTLED, HN, 5)), Set.of(ZJ, QH, HN)));
    }

    @Test
    void linesOutOfOrderAreRefused() {
        assertThrows(IllegalStateException.class, () -> match(List.of(line(ZJ, "S2", Movement.SETTLED, QH, 5),
                line(ZJ, "S1", Movement.SETTLED, QH, 5)), List.of(), Set.of(ZJ, QH)));
        assertThrows(IllegalStateException.class, () -> match(List.of(), List.of(line(ZJ, "S1", Movement.SETTLED, QH, 5),
                line(ZJ, "S1", Movement.SETTLED, QH, 5)), Set.of(ZJ, QH)));
    }

    /** Every line of either side comes out exactly once: cleared (both sides) or as one case. */
    @RepeatedTest(20)
    void everyLineIsAccountedForOnce() {
        Random random = new Random();
        List<HubLine> claims = new ArrayList<>();
        List<HubLine> applications = new ArrayList<>();
        int both = 0;
        for (int i = 0; i < 300; i++) {
            String id = String.format("S%05d", i);
            int pick = random.nextInt(4);
            HubLine l = line(ZJ, id, Movement.SETTLED, QH, random.nextInt(10_000) + 1);
            if (pick != 1) {
                claims.add(l);
            }
            if (pick != 2) {
                applications.add(pick == 3 ? line(ZJ, id, Movement.SETTLED, QH, l.amounts().hifp() + 1) : l);
            }
            if (pick == 0 || pick == 3) {
                both++;
            }
        }
        List<Outcome> out = match(claims, applications, Set.of(ZJ, QH));
        assertEquals(claims.size() + applications.size() - both, out.size());
        assertEquals(claims.stream().map(HubLine::setlId).distinct().count()
                + applications.stream().filter(a -> claims.stream().noneMatch(c -> c.setlId().equals(a.setlId()))).count(),
                out.size());
    }
}
