package org.medsettle.api.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.store.Actor;

/**
 * The maintenance windows (停机公告) of every province as the national hub lists them, at a node: its own province's
 * announced and cancelled here, the others' read from the hub.
 */
public interface MaintenanceNotices {

    /**
     * A province's node down for maintenance from {@code from} to {@code until}.
     *
     * @param id       the hub's number of the window
     * @param reason   what the province said, for the clerks (e.g. "系统升级")
     * @param announcedBy who announced it at the province's node
     */
    record Window(long id, Admdvs province, Instant from, Instant until, String reason, Instant announced,
                  String announcedBy) {

        /** Whether the window is open at {@code t}. */
        public boolean openAt(Instant t) {
            return !t.isBefore(from) && t.isBefore(until);
        }
    }

    /**
     * Announces a window of this node's own province through the hub (the hub must answer); audited.
     *
     * @throws IllegalArgumentException if the window is not one (ends before it begins, already over, longer than
     *                                  the longest allowed, too far ahead, no reason)
     * @throws org.medsettle.api.link.LinkUnavailableException if the hub did not take it (nothing was announced)
     */
    Window announce(Instant from, Instant until, String reason, Actor actor);

    /**
     * Cancels a window of this node's own province, or ends it early (the node is back); audited.
     *
     * @return false if this province has no such window at the hub
     */
    boolean cancel(long id, Actor actor);

    /** Every window known that is not over, by its start. */
    List<Window> windows();

    /** The window of {@code province} (or of the province of a city code) open at {@code t}, if any. */
    default Optional<Window> openAt(Admdvs province, Instant t) {
        Admdvs p = province.province();
        return windows().stream().filter(w -> w.province().equals(p) && w.openAt(t)).findFirst();
    }

    /** The first window of {@code province} that begins after {@code t} and within {@code horizon}, if any. */
    default Optional<Window> upcoming(Admdvs province, Instant t, Duration horizon) {
        Admdvs p = province.province();
        Instant limit = t.plus(horizon);
        return windows().stream().filter(w -> w.province().equals(p) && w.from().isAfter(t) && !w.from().isAfter(limit))
                .findFirst();
    }

    /** How long before a window the clerks are told of it (setting {@code warnHours}). */
    Duration warning();
}
