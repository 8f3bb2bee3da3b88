package org.medsettle.hub.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.maintenance.MaintenanceNotices.Window;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.medsettle.link.internal.wire.WireJson;

/**
 * The hub's list of maintenance windows (停机公告, table {@code hub_maintenance}, which the hub alone writes): a node
 * announces and cancels its own province's ({@code MAINTENANCE_ANNOUNCE}, {@code MAINTENANCE_CANCEL}), every node
 * reads the windows not over ({@code MAINTENANCE_LIST}). Each change is audited at the hub with the node that made it.
 */
public final class HubMaintenance {

    static final String ANNOUNCE = "MAINTENANCE_ANNOUNCE";
    static final String CANCEL = "MAINTENANCE_CANCEL";
    static final String LIST = "MAINTENANCE_LIST";

    private final Transactor db;
    private final AuditLog audit;
    private final Clock clock;

    public HubMaintenance(Transactor db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    static boolean handles(String type) {
        return ANNOUNCE.equals(type) || CANCEL.equals(type) || LIST.equals(type);
    }

    /**
     * The answer to a maintenance message of {@code sender}.
     *
     * @throws IllegalArgumentException if it is not understood or the window is not one (refused, with the reason)
     */
    public ObjectNode answer(Admdvs sender, String type, JsonNode body) {
        ObjectNode out = WireJson.object();
        switch (type) {
            case ANNOUNCE -> out.set("window", json(announce(sender, body)));
            case CANCEL -> out.put("cancelled", cancel(sender, body.path("id").asLong(-1), text(body, "by")));
            case LIST -> {
                ArrayNode list = out.putArray("windows");
                windows().forEach(w -> list.add(json(w)));
            }
            default -> throw new IllegalArgumentException("not a maintenance message: " + type);
        }
        return out;
    }

    private Window announce(Admdvs sender, JsonNode body) {
        Instant from = instant(body, "from");
        Instant until = instant(body, "until");
        String reason = text(body, "reason");
        String by = text(body, "by");
        Instant now = clock.instant();
        String problem = MaintenanceText.problem(from, until, reason, now);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (by.isBlank() || by.length() > 64) {
            throw new IllegalArgumentException("a window names who announced it (1 to 64 characters)");
        }
        return db.inTransaction("announce maintenance of " + sender, c -> {
            long id = db.nextId("maintenance_window");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_maintenance (window_id, admdvs, starts_at, "
                    + "ends_at, reason, announced_at, announced_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, sender.code());
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(until));
                ps.setString(5, reason.strip());
                ps.setTimestamp(6, Timestamp.from(now));
                ps.setString(7, by);
                ps.executeUpdate();
            }
            audit.record(c, new AuditEvent(now, by + "@" + sender.code(), org.medsettle.api.store.AuditChannel.LINK, "MAINTENANCE_ANNOUNCED",
                    sender.code(), "window " + id + ": " + MaintenanceText.china(from) + " to "
                    + MaintenanceText.china(until) + " (" + reason.strip() + ")"));
            return new Window(id, sender, from, until, reason.strip(), now, by);
        });
    }

    private boolean cancel(Admdvs sender, long id, String by) {
        Instant now = clock.instant();
        return db.inTransaction("cancel maintenance window " + id + " of " + sender, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_maintenance SET cancelled_at = ? "
                    + "WHERE window_id = ? AND admdvs = ? AND cancelled_at IS NULL AND ends_at > ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setLong(2, id);
                ps.setString(3, sender.code());
                ps.setTimestamp(4, Timestamp.from(now));
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            audit.record(c, new AuditEvent(now, by + "@" + sender.code(), org.medsettle.api.store.AuditChannel.LINK, "MAINTENANCE_CANCELLED",
                    sender.code(), "window " + id + " cancelled or ended early"));
            return true;
        });
    }

    /** The windows not over and not cancelled, by their start. */
    List<Window> windows() {
        Instant now = clock.instant();
        return db.inTransaction("read the maintenance windows", c -> {
            List<Window> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT window_id, admdvs, starts_at, ends_at, reason, "
                    + "announced_at, announced_by FROM hub_maintenance WHERE cancelled_at IS NULL AND ends_at > ? "
                    + "ORDER BY starts_at, window_id")) {
                ps.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Window(rs.getLong(1), Admdvs.of(rs.getString(2)), rs.getTimestamp(3).toInstant(),
                                rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getTimestamp(6).toInstant(),
                                rs.getString(7)));
                    }
                }
            }
            return list;
        });
    }

    static ObjectNode json(Window w) {
        ObjectNode o = WireJson.object();
        o.put("id", w.id());
        o.put("province", w.province().code());
        o.put("from", w.from().toString());
        o.put("until", w.until().toString());
        o.put("reason", w.reason());
        o.put("announced", w.announced().toString());
        o.put("by", w.announcedBy());
        return o;
    }

    private static String text(JsonNode body, String field) {
        return body.path(field).asText("");
    }

    private static Instant instant(JsonNode body, String field) {
        try {
            return Instant.parse(body.path(field).asText(""));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an instant (ISO-8601, e.g. 2026-12-04T16:00:00Z)");
        }
    }
}
