package org.medsettle.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a component is handling, so that it can go (bundle update, stop) without cutting one off: after
 * {@link #close}, {@link #enter} refuses new requests at once — the caller answers "nothing was done, send it again"
 * — and {@code close} returns when those in progress have finished.
 *
 * <pre>
 * if (!inFlight.enter()) { answer "being updated, repeat"; return; }
 * try { handle(); } finally { inFlight.exit(); }
 * </pre>
 *
 * Draining first matters because Camel's graceful shutdown looks at a route with an exchange in flight only once a
 * second (docs/stack.md, trap 32): with nothing in flight it stops at once.
 */
public final class InFlight {

    private final AtomicInteger count = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean closing;

    /** False once {@link #close} was called: the request must not be handled. Otherwise {@link #exit} must follow. */
    public boolean enter() {
        if (closing) {
            return false;
        }
        count.incrementAndGet();
        if (closing) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends a request {@link #enter} let in. */
    public void exit() {
        if (count.decrementAndGet() == 0 && closing) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Refuses new requests from now on and waits until those in progress have finished; answers whether they all did
     * within {@code timeout}.
     */
    public boolean close(Duration timeout) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (count.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        return true;
    }

    public boolean closing() {
        return closing;
    }

    /** Requests in progress now. */
    public int count() {
        return count.get();
    }
}
