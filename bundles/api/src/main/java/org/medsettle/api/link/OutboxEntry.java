package org.medsettle.api.link;

import java.time.Instant;
import java.util.Optional;

/** A notice in the outbox, for {@code medsettle:outbox}. */
public record OutboxEntry(long seq, String msgId, String type, String to, Instant created, int attempts,
                          String lastError, Optional<Instant> sentAt) {
}
