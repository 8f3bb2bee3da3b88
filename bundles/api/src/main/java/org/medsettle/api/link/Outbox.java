package org.medsettle.api.link;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The durable outbox of notices to other nodes (table {@code link_outbox}): a notice is written in the same
 * transaction as the change it reports, and the national link sends it later, in order, until the receiver has
 * it. The link may be stopped or replaced meanwhile: what is written here waits.
 */
public final class Outbox {

    private Outbox() {
    }

    /** Adds a notice to the outbox within the caller's transaction. */
    public static void enqueue(Connection c, HubMessage notice, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO link_outbox (msg_id, msg_type, from_admdvs, "
                + "to_admdvs, body, created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)")) {
            ps.setString(1, notice.msgId());
            ps.setString(2, notice.type());
            ps.setString(3, notice.from().code());
            ps.setString(4, notice.to().code());
            ps.setString(5, notice.body());
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.executeUpdate();
        }
    }
}
