package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.SettlementAmounts;

/** For the benchmarks at scale: a settlement row written as the treatment node writes it. */
public final class ScaleRows {

    private ScaleRows() {
    }

    public static void settlement(Connection c, String setlId, String kind, String reversalOf, String state,
                                  String insured, LocalDateTime time, SettlementAmounts a, Instant now)
            throws SQLException {
        Rows.Settlement s = new Rows.Settlement(setlId, kind, Optional.ofNullable(reversalOf), state, "M" + setlId,
                "P" + setlId, "x", "H33030000001", Admdvs.of(insured), "310", "1101", "21", "B" + setlId, time,
                time.getYear(), 1, a, "[]", "{}");
        TreatmentStore.insertSettlement(c, s, now);
    }
}
