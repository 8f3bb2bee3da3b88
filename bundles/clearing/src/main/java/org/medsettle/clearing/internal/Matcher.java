package org.medsettle.clearing.internal;

import java.time.YearMonth;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Set;

import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingCase;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;

/**
 * The hub's matching of a clearing, pure: the treatment nodes' claims and the insured nodes' applications, both in
 * the order of their key (treatment province, {@code setl_id}, movement), merged line by line. A line both sides
 * reported with the same insured province and the same amounts is cleared; anything else is a case, carried to the
 * next month: claimed and not applied, applied and not claimed, amounts (or provinces) that differ — or, where the
 * other side's node did not report at all, {@link ClearingCase.Kind#NO_REPORT}.
 */
final class Matcher {

    /** A reported line at the hub. */
    record HubLine(Admdvs treatment, String setlId, Movement movement, Admdvs insured, YearMonth month,
                   FundAmounts amounts) {
    }

    /** What the matching found, line by line. */
    interface Sink {
        void cleared(HubLine claim);

        /** A case: {@code claim} or {@code application} may be null, not both. */
        void carried(ClearingCase.Kind kind, HubLine claim, HubLine application);
    }

    static final Comparator<HubLine> ORDER = Comparator.comparing((HubLine l) -> l.treatment().code())
            .thenComparing(HubLine::setlId).thenComparing(l -> l.movement().sign());

    private Matcher() {
    }

    /**
     * Merges {@code claims} and {@code applications}, each in {@link #ORDER} (a line out of order is an
     * {@link IllegalStateException}); {@code reported} are the provinces whose nodes' reports are part of the run.
     */
    static void match(Iterator<HubLine> claims, Iterator<HubLine> applications, Set<Admdvs> reported, Sink sink) {
        HubLine c = next(claims, null);
        HubLine a = next(applications, null);
        while (c != null || a != null) {
            int order = c == null ? 1 : a == null ? -1 : ORDER.compare(c, a);
            if (order == 0) {
                if (c.insured().equals(a.insured()) && c.amounts().equals(a.amounts())) {
                    sink.cleared(c);
                } else {
                    sink.carried(ClearingCase.Kind.AMOUNTS_DIFFER, c, a);
                }
                c = next(claims, c);
                a = next(applications, a);
            } else if (order < 0) {
                sink.carried(reported.contains(c.insured()) ? ClearingCase.Kind.NOT_APPLIED : ClearingCase.Kind.NO_REPORT,
                        c, null);
                c = next(claims, c);
            } else {
                sink.carried(reported.contains(a.treatment()) ? ClearingCase.Kind.NOT_CLAIMED : ClearingCase.Kind.NO_REPORT,
                        null, a);
                a = next(applications, a);
            }
        }
    }

    private static HubLine next(Iterator<HubLine> lines, HubLine previous) {
        if (!lines.hasNext()) {
            return null;
        }
        HubLine n = lines.next();
        if (previous != null && ORDER.compare(previous, n) >= 0) {
            throw new IllegalStateException("lines out of order: " + n.treatment() + " " + n.setlId() + " "
                    + n.movement().sign() + " after " + previous.setlId() + " " + previous.movement().sign());
        }
        return n;
    }
}
