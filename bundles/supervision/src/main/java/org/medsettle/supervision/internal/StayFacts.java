package org.medsettle.supervision.internal;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

import org.medsettle.api.supervision.Supervision;

/**
 * What the rules look at for one visit ({@link Supervision.Stay}: {@code end} is the discharge of an inpatient stay,
 * empty while the patient is in hospital, the registration time of an outpatient visit), read from the treatment node's tables: the visit, its fee lines (net of
 * their reversals), the person's other visits at this node, the lines of those that are settled, and the identity
 * checks of the person that failed.
 */
record StayFacts(Supervision.Stay visit, List<Line> lines, List<Supervision.Stay> others, List<Line> settledElsewhere,
                 List<IdentityFailure> identityFailures) {

    StayFacts {
        lines = List.copyOf(lines);
        others = List.copyOf(others);
        settledElsewhere = List.copyOf(settledElsewhere);
        identityFailures = List.copyOf(identityFailures);
    }

    /**
     * A fee line with its quantity net of the lines that reverse it ({@code init_feedetl_sn}); {@code name} and
     * {@code kind} as the catalogue has them (empty if the code is not in it).
     */
    record Line(String mdtrtId, String feedetlSn, String medListCodg, String name, String kind, LocalDateTime time,
                BigDecimal cnt) {
    }

    record IdentityFailure(String hospital, LocalDateTime checkedAt, String what) {
    }
}
