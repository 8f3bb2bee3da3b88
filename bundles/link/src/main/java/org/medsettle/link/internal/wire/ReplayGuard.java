package org.medsettle.link.internal.wire;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Nothing signed on the link is accepted twice (issue 10, item 2). Every message carries the time it was sent and a
 * nonce of its own ({@link Wire#message}); a receiver refuses a message sent more than {@link #WINDOW} from its own
 * clock, and one whose nonce it has seen from the same sender within the window. The nonces are kept in memory for
 * the window: a receiver that restarts forgets them, but also every link session (a message in an unknown session is
 * refused) — what it would accept again is only a signed session handshake, which yields a session key the replayer
 * cannot compute.
 *
 * <p>Each nonce is kept until {@link #KEPT} after the time its message was sent, and dropped then by the messages
 * that follow, a few each ({@link #DROP_PER_MESSAGE}, more while many are kept), oldest first — the cost of a
 * message does not grow with the number of nonces kept (issue 15: it scanned all of them once they were more than
 * 200,000, i.e. for every message after about three minutes at 1,000 messages a second). Memory grows with the rate:
 * about 180 bytes per nonce, 10 minutes of messages kept — some 110 MB at 1,000 messages a second.
 *
 * <p>Clocks of the hub and the nodes must agree within the window (NTP).
 */
public final class ReplayGuard {

    public static final Duration WINDOW = Duration.ofMinutes(5);
    /**
     * How long after it was sent a message's nonce is kept: the window in which it is accepted, and the window again
     * should this instance's clock be set back.
     */
    static final Duration KEPT = WINDOW.plus(WINDOW);
    /**
     * How many expired nonces a message drops at least, when there are so many: more than one, so that what a burst
     * left is dropped while the rate is lower; few, so that no message pays for many.
     */
    static final int DROP_PER_MESSAGE = 16;
    /**
     * Beyond {@link #DROP_PER_MESSAGE}, a message drops up to the number of nonces kept divided by this: after a burst
     * followed by few messages, the burst's nonces are gone after some hundreds of messages, not after the kept / 16.
     */
    static final int DROP_DIVISOR = 100;

    /** A nonce kept, in the order received. */
    private record Kept(String key, Instant expiry) {
    }

    private final Clock clock;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    /** The nonces of {@link #seen} in the order they came, which is nearly the order of their expiry. */
    private final Queue<Kept> received = new ConcurrentLinkedQueue<>();
    /** Held by the one message that drops expired nonces; the others do not wait for it. */
    private final ReentrantLock dropping = new ReentrantLock();

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
        dropExpired(now);
        String key = sender + "|" + message.nonce();
        Instant expiry = message.sentAt().plus(KEPT);
        if (seen.putIfAbsent(key, expiry) != null) {
            return "the message " + message.msgId() + " was received before (nonce seen): a replay";
        }
        received.add(new Kept(key, expiry));
        return null;
    }

    /**
     * Drops up to {@link #DROP_PER_MESSAGE} nonces, or a {@link #DROP_DIVISOR}th of those kept if more, from the head
     * of {@link #received} whose expiry has passed. One sent later than the ones after it (its sender's clock ahead)
     * holds those back until it expires itself: they are kept longer, never dropped early.
     */
    private void dropExpired(Instant now) {
        if (!dropping.tryLock()) {
            return;
        }
        try {
            int most = Math.max(DROP_PER_MESSAGE, seen.size() / DROP_DIVISOR);
            // the only thread taking from the queue: what peek shows, poll takes
            for (int i = 0; i < most; i++) {
                Kept oldest = received.peek();
                if (oldest == null || !oldest.expiry().isBefore(now)) {
                    return;
                }
                received.poll();
                seen.remove(oldest.key(), oldest.expiry());
            }
        } finally {
            dropping.unlock();
        }
    }

    /** How many nonces are kept. */
    int size() {
        return seen.size();
    }
}
