package org.medsettle.link.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.OutboxEntry;
import org.medsettle.support.sql.NewestFirst;
import org.medsettle.api.store.Transactor;

/** SQL of {@code link_outbox}. */
final class OutboxStore {

    record Pending(long seq, HubMessage message, int attempts, Instant nextAttempt) {
    }

    /**
     * The outbox's notices not sent yet, read through index {@code link_outbox_pending (sent_at, seq)}. The table keeps
     * every notice sent (one per settlement), and Derby's optimizer, which cannot tell how few rows {@code sent_at IS
     * NULL} leaves, chose to read the whole table and sort it at every turn of the outbox (2.5 to 3.9 ms of CPU at
     * 43,000 notices, growing with them; 0.1 ms through the index: issue 15). The override is Derby's own syntax in
     * an SQL comment, which PostgreSQL reads as a comment; the line break after it ends it.
     */
    static final String UNSENT = "link_outbox --DERBY-PROPERTIES index=link_outbox_pending\n WHERE sent_at IS NULL";

    private final Transactor db;

    OutboxStore(Transactor db) {
        this.db = db;
    }

    /** Unsent notices in the order they were written (at most {@code limit}). */
    List<Pending> pending(int limit) {
        return db.inTransaction("read the outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, msg_id, msg_type, from_admdvs, to_admdvs, body, "
                    + "attempts, next_attempt_at FROM " + UNSENT + " ORDER BY seq FETCH FIRST "
                    + limit + " ROWS ONLY")) {
                List<Pending> list = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Pending(rs.getLong(1), new HubMessage(rs.getString(2), rs.getString(3),
                                Admdvs.of(rs.getString(4)), Admdvs.of(rs.getString(5)), rs.getString(6)), rs.getInt(7),
                                rs.getTimestamp(8).toInstant()));
                    }
                }
                return list;
            }
        });
    }

    /** Marks notices delivered, in one transaction. */
    void sent(List<Pending> notices, Instant now) {
        db.inTransaction("mark " + notices.size() + " notices sent", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE link_outbox SET sent_at = ?, last_error = NULL, "
                    + "attempts = attempts + 1 WHERE seq = ?")) {
                for (Pending p : notices) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setLong(2, p.seq());
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    /** Records a failed delivery of notices: each waits longer before its next attempt (up to a minute). */
    void failed(List<Pending> notices, String error, Instant now) {
        db.inTransaction("record " + notices.size() + " failed notices", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE link_outbox SET attempts = attempts + 1, "
                    + "last_error = ?, next_attempt_at = ? WHERE seq = ?")) {
                for (Pending p : notices) {
                    Duration wait = Duration.ofSeconds(Math.min(60, 1L << Math.min(p.attempts(), 6)));
                    ps.setString(1, error.length() > 500 ? error.substring(0, 500) : error);
                    ps.setTimestamp(2, Timestamp.from(now.plus(wait)));
                    ps.setLong(3, p.seq());
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    void enqueue(HubMessage notice, Instant now) {
        db.inTransaction("write notice " + notice.msgId() + " to the outbox", c -> {
            write(c, notice, now);
            return null;
        });
    }

    /** Adds a notice to the outbox within the transaction of {@code c} (the only place {@code link_outbox} gets rows). */
    static void write(java.sql.Connection c, HubMessage notice, Instant now) throws java.sql.SQLException {
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

    long pendingCount() {
        return db.inTransaction("count the outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + UNSENT);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    Optional<Instant> oldestPending() {
        return db.inTransaction("read the outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(created_at) FROM " + UNSENT);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        });
    }

    /**
     * The newest {@code limit} notices, newest first: those not sent yet through {@link #UNSENT}; all of them through
     * {@link NewestFirst} (the outbox keeps every notice sent; a descending index would cost every settlement's
     * notice an index entry).
     */
    List<OutboxEntry> entries(int limit, boolean pendingOnly) {
        return db.inTransaction("read the outbox", c -> pendingOnly ? entries(c, UNSENT, limit)
                : NewestFirst.read(c, "link_outbox", "seq", limit, (connection, above) -> entries(connection,
                        above.isPresent() ? "link_outbox WHERE seq > " + above.getAsLong() : "link_outbox", limit)));
    }

    private static List<OutboxEntry> entries(java.sql.Connection c, String from, int limit) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, msg_id, msg_type, to_admdvs, created_at, attempts, "
                + "last_error, sent_at FROM " + from + " ORDER BY seq DESC FETCH FIRST " + limit + " ROWS ONLY")) {
            List<OutboxEntry> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp sent = rs.getTimestamp(8);
                    list.add(new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant(), rs.getInt(6),
                            rs.getString(7) == null ? "" : rs.getString(7),
                            Optional.ofNullable(sent).map(Timestamp::toInstant)));
                }
            }
            return list;
        }
    }
}
