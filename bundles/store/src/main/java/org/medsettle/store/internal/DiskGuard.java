package org.medsettle.store.internal;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.medsettle.api.store.StoreException;

/**
 * No change is started while the database's disk is nearly full. Derby that runs out of space in the middle of a
 * log write shuts the database down, and once in five full-disk runs of {@code SickDatabaseProcessIT} it could not
 * recover it in the same JVM ("Recovery failed ... transaction is not in transaction table"). So the store keeps a
 * floor of free space: below it, every unit of work is refused before it touches the database (the hospital gets
 * {@code -1}, health already says to free space), and the database never meets a full disk of its own making.
 */
final class DiskGuard {

    /** Changes are refused below this much free space (health fails earlier, at {@link JdbcDatabase#MIN_FREE_BYTES}). */
    static final long FLOOR_BYTES = 32L * 1024 * 1024;
    private static final long RECHECK_NANOS = 500_000_000L;

    private final Supplier<OptionalLong> freeBytes;
    private final LongSupplier nanoTime;
    /** When the disk was last looked at; the one thread that moves it looks, the others use {@link #free}. */
    private final AtomicLong checkedAt;
    private volatile long free = Long.MAX_VALUE;

    DiskGuard(Supplier<OptionalLong> freeBytes, LongSupplier nanoTime) {
        this.freeBytes = freeBytes;
        this.nanoTime = nanoTime;
        this.checkedAt = new AtomicLong(nanoTime.getAsLong() - RECHECK_NANOS - 1);
    }

    /**
     * Looking costs a read of the mount table ({@code /proc/mounts} on Linux) and a path resolved component by
     * component: only one of the requests arriving after half a second looks, the others meanwhile go by what was seen.
     *
     * @throws StoreException if the disk has less than {@link #FLOOR_BYTES} free (looked at twice a second at most)
     */
    void check(String what) {
        long now = nanoTime.getAsLong();
        long last = checkedAt.get();
        if (now - last > RECHECK_NANOS && checkedAt.compareAndSet(last, now)) {
            free = freeBytes.get().orElse(Long.MAX_VALUE);
        }
        long left = free;
        if (left < FLOOR_BYTES) {
            throw new StoreException("cannot " + what + ": only " + left / (1024 * 1024) + " MiB free on the "
                    + "database's disk (at least " + FLOOR_BYTES / (1024 * 1024) + " MiB are kept free so that the "
                    + "database is never cut off in the middle of a write); nothing was changed: free space (medsettle:health)");
        }
    }
}
