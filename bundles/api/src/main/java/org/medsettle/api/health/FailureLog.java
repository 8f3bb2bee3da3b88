package org.medsettle.api.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per kind of failure per interval, with a count, instead of a line (or a stack trace) per request: a
 * node whose database is gone answers thousands of requests a minute, and a log that repeats itself rolls over its
 * own history. The first failure of a kind is written at once; the next ones within the interval are counted, and
 * the first one after it says how many were not written.
 */
public final class FailureLog {

    /** Where a line goes: the message, and the cause (null when it was written before in this interval). */
    @FunctionalInterface
    public interface Sink {
        void write(String line, Throwable cause);
    }

    private static final class Kind {
        private volatile Instant last = Instant.EPOCH;
        private final AtomicLong suppressed = new AtomicLong();
    }

    private final Sink sink;
    private final Duration interval;
    private final InstantSource clock;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    public FailureLog(Sink sink, Duration interval, InstantSource clock) {
        this.sink = sink;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Reports a failure of {@code kind}; writes {@code message} (and the cause's stack trace, if any) unless a
     * failure of that kind was written within the interval.
     *
     * @return whether a line was written
     */
    public boolean report(String kind, String message, Throwable cause) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        Instant now = clock.instant();
        synchronized (k) {
            if (now.isBefore(k.last.plus(interval))) {
                k.suppressed.incrementAndGet();
                return false;
            }
            k.last = now;
        }
        long more = k.suppressed.getAndSet(0);
        sink.write(more == 0 ? message
                : message + " (and " + more + " more like it in the last " + interval.toSeconds() + " s, not logged)",
                cause);
        return true;
    }

    /** How many failures of {@code kind} were counted but not written since its last line. */
    public long suppressed(String kind) {
        Kind k = kinds.get(kind);
        return k == null ? 0 : k.suppressed.get();
    }
}
