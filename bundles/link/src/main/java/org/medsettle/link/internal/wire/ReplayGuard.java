package org.medsettle.link.internal.wire;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nothing signed on the link is accepted twice (issue 10, item 2). Every message carries the time it was sent and a
 * nonce of its own ({@link Wire#message}); a receiver refuses a message sent more than {@link #WINDOW} from its own
 * clock, and one whose nonce it has seen from the same sender within the window. The nonces are kept in memory for
 * the window: a receiver that restarts forgets them, but also every link session (a message in an unknown session is
 * refused) — what it would accept again is only a signed session handshake, which yields a session key the replayer
 * cannot compute.
 *
 * <p>Clocks of the hub and the nodes must agree within the window (NTP).
 */
public final class ReplayGuard {

    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** At most this many nonces kept; past it, expired ones are dropped at once. */
    static final int PURGE_ABOVE = 200_000;

    private final Clock clock;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();

    public ReplayGuard(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records {@code message} from {@code sender} as received; null if it is new, else why it is refused.
     */
    public String refusal(String sender, Wire.Received message) {
        Instant now = clock.instant();
        if (message.sentAt() == null || message.nonce() == null) {
            return "the message carries no time and nonce";
        }
        Duration skew = Duration.between(message.sentAt(), now).abs();
        if (skew.compareTo(WINDOW) > 0) {
            return "the message was sent at " + message.sentAt() + ", " + skew.toSeconds() + " s from this instance's "
                    + "clock (at most " + WINDOW.toSeconds() + " s): a replay, or clocks out of step (check NTP)";
        }
        if (seen.size() > PURGE_ABOVE || accepted.incrementAndGet() % 10_000 == 0) {
            seen.values().removeIf(expiry -> expiry.isBefore(now));
        }
        Instant expiry = message.sentAt().plus(WINDOW).plus(WINDOW);
        if (seen.putIfAbsent(sender + "|" + message.nonce(), expiry) != null) {
            return "the message " + message.msgId() + " was received before (nonce seen): a replay";
        }
        return null;
    }

    int size() {
        return seen.size();
    }
}
