package org.medsettle.api.link;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the national link stands, for {@code medsettle:link-status}.
 *
 * @param hub            where the hub is, if configured
 * @param hubCertificate the fingerprint of the hub certificate this node trusts, or "not set"
 * @param lastSuccess    the last answer from the hub
 * @param lastFailure    the last failed exchange
 * @param lastError      why it failed
 * @param outboxPending  notices waiting to go out
 * @param oldestPending  when the oldest of them was written
 * @param circuit        the circuit breaker in front of the hub: {@code CLOSED} (sending), {@code OPEN} (the hub was
 *                       unreachable too often: exchanges are refused at once for a while), {@code HALF_OPEN} (a few
 *                       exchanges try whether it is back), with the failure rate that decided it
 */
public record LinkState(Optional<URI> hub, String hubCertificate, Optional<Instant> lastSuccess, Optional<Instant> lastFailure,
                        String lastError, long outboxPending, Optional<Instant> oldestPending, String circuit) {

    /** A link without a circuit breaker (3.0). */
    public LinkState(Optional<URI> hub, String hubCertificate, Optional<Instant> lastSuccess,
                     Optional<Instant> lastFailure, String lastError, long outboxPending,
                     Optional<Instant> oldestPending) {
        this(hub, hubCertificate, lastSuccess, lastFailure, lastError, outboxPending, oldestPending, "none");
    }

    public LinkState {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(oldestPending, "oldestPending");
        lastError = lastError == null ? "" : lastError;
        circuit = circuit == null ? "none" : circuit;
    }
}
