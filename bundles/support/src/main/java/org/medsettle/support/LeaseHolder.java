package org.medsettle.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.medsettle.api.store.Leases;

/**
 * One lease's work at one instance ({@link Leases}): whether this instance does it now. A lease held is renewed in
 * the database only once half its time has passed since the last renewal (the work's tick may be much shorter than
 * the lease); a change — taken, lost to another instance — is told once, and a database that cannot say is told
 * once until it can again (nobody works meanwhile).
 */
public final class LeaseHolder {

    private final Leases leases;
    private final String name;
    private final Duration ttl;
    private final Clock clock;
    private final Consumer<String> info;
    private final Consumer<String> warn;
    private final String work;
    private boolean held;
    /** Whether what is held has been told since the start or the last failure. */
    private boolean told;
    private boolean failing;
    private Instant renewed = Instant.MIN;

    /**
     * @param work what the holder does, for the log: e.g. "sends the outbox's notices"
     * @param info where a change of holder is told (INFO)
     * @param warn where a failure to take or renew is told (WARN)
     */
    public LeaseHolder(Leases leases, String name, Duration ttl, Clock clock, String work, Consumer<String> info,
                       Consumer<String> warn) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease's time must be positive: " + ttl);
        }
        this.leases = leases;
        this.name = name;
        this.ttl = ttl;
        this.clock = clock;
        this.work = work;
        this.info = info;
        this.warn = warn;
    }

    /** Whether this instance does the lease's work now (taken or renewed if due; false if the database cannot say). */
    public synchronized boolean holds() {
        Instant now = clock.instant();
        if (held && now.isBefore(renewed.plus(ttl.dividedBy(2)))) {
            return true;
        }
        boolean granted;
        try {
            granted = leases.hold(name, ttl);
        } catch (RuntimeException e) {
            if (held || !failing) {
                // once until it works again: the store's health check says what is wrong with the database
                warn.accept("Lease " + name + " could not be taken or renewed (" + e.getMessage() + "): this instance "
                        + "does not do its work (" + work + ") until it can");
            }
            held = false;
            told = false;
            failing = true;
            return false;
        }
        failing = false;
        if (granted) {
            renewed = now;
        }
        if (granted != held || !told) {
            info.accept(granted ? "This instance (" + leases.holderName() + ") now holds lease " + name + " and "
                    + work : "Lease " + name + " is held by another instance: this one (" + leases.holderName()
                    + ") leaves its work (" + work + ") to it");
        }
        held = granted;
        told = true;
        return granted;
    }

    /** Gives the lease up (a clean stop: another instance takes over at once); a failure is told, not thrown. */
    public synchronized void release() {
        held = false;
        renewed = Instant.MIN;
        try {
            leases.release(name);
        } catch (RuntimeException e) {
            info.accept("Lease " + name + " not given up (" + e.getMessage() + "): another instance takes it over when "
                    + "it expires");
        }
    }

    public String name() {
        return name;
    }
}
