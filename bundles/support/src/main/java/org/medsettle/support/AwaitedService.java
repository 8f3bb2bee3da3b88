package org.medsettle.support;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A dynamic, optional service reference that a caller may wait for: while the bundle providing it is being updated
 * (for a second or two the service is gone, then the new one is bound), {@link #await} waits for the new one instead
 * of failing the request at once. The component binds and unbinds it from its Declarative Services bind methods.
 */
public final class AwaitedService<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition bound = lock.newCondition();
    /** Read without the lock on every call; the lock only pairs binding with waiting. */
    private volatile T service;

    /** From the bind method. */
    public void bind(T s) {
        lock.lock();
        try {
            service = s;
            bound.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** From the unbind method: clears only if {@code s} is the one bound (a greedy rebind may have replaced it). */
    public void unbind(T s) {
        lock.lock();
        try {
            if (service == s) {
                service = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The service now, or null. */
    public T now() {
        return service;
    }

    /** The service, waiting up to {@code timeout} for one to be bound; null if none came. */
    public T await(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (service == null && left > 0) {
                left = bound.awaitNanos(left);
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return service;
        } finally {
            lock.unlock();
        }
    }
}
