package org.medsettle.api.model;

import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A committed settlement (结算) of a visit, or the reversal of one.
 *
 * @param setlId        {@code setl_id}
 * @param mdtrtId       {@code mdtrt_id}
 * @param psnNo         {@code psn_no}
 * @param setlTime      {@code setl_time}
 * @param amounts       the {@code setlinfo} amounts
 * @param reversalOf    for a reversal, the {@code setl_id} it reverses
 */
public record Settlement(String setlId, String mdtrtId, String psnNo, LocalDateTime setlTime,
                         SettlementAmounts amounts, Optional<String> reversalOf) {

    public Settlement {
        Objects.requireNonNull(setlId, "setlId");
        Objects.requireNonNull(mdtrtId, "mdtrtId");
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(setlTime, "setlTime");
        Objects.requireNonNull(amounts, "amounts");
        Objects.requireNonNull(reversalOf, "reversalOf");
    }
}
