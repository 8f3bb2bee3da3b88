package org.medsettle.api.filing;

import java.time.Instant;
import java.util.Objects;

import org.medsettle.api.model.FilingState;
import org.medsettle.api.store.AuditChannel;

/**
 * One entry of a filing's history: every change, with time, operator, channel and reason.
 *
 * @param action     {@code FILED}, {@code SUPERSEDED}, {@code CANCELLED}
 * @param stateAfter the stored state after the change
 */
public record FilingChange(Instant at, String action, String operator, AuditChannel channel, String reason,
                           FilingState stateAfter) {

    public FilingChange {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(channel, "channel");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(stateAfter, "stateAfter");
    }
}
