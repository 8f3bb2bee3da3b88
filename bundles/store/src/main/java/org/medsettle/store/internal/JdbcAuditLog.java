package org.medsettle.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.AuditRecord;
import org.medsettle.api.store.StoreException;

/** The audit trail in table {@code audit_event}. */
final class JdbcAuditLog implements AuditLog {

    private static final String INSERT =
            "INSERT INTO audit_event (occurred_at, actor, channel, event_type, subject, detail) VALUES (?, ?, ?, ?, ?, ?)";

    static final int MAX_LIMIT = 10_000;

    private static final String COLUMNS = "event_id, occurred_at, actor, channel, event_type, subject, detail";

    private final DataSource dataSource;

    JdbcAuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public AuditRecord record(AuditEvent event) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return insert(connection, event);
        } catch (SQLException e) {
            throw new StoreException("cannot record audit event " + event.type() + ": " + SchemaMigrator.describe(e), e);
        }
    }

    @Override
    public AuditRecord record(Connection connection, AuditEvent event) throws SQLException {
        return insert(connection, event);
    }

    @Override
    public void append(Connection connection, AuditEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                INSERT)) {
            bind(insert, event);
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement insert, AuditEvent event) throws SQLException {
        insert.setTimestamp(1, Timestamp.from(event.at()));
        insert.setString(2, event.actor());
        insert.setString(3, event.channel().name());
        insert.setString(4, event.type());
        insert.setString(5, event.subject());
        insert.setString(6, event.detail());
    }

    /** Records on the caller's connection, inside the caller's transaction. */
    static AuditRecord insert(Connection connection, AuditEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                INSERT,
                Statement.RETURN_GENERATED_KEYS)) {
            bind(insert, event);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for the audit event");
                }
                return new AuditRecord(keys.getLong(1), event);
            }
        }
    }

    @Override
    public List<AuditRecord> recent(int limit, Optional<String> type) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        // The trail keeps every event (one per settlement at least), and neither Derby nor the indexes read an
        // ascending key backwards: "newest first" over the whole table read and sorted all of it (55 ms at 43,000
        // events, growing with them; issue 15). So the newest events are looked for among the last ids first — the
        // newest id is the primary key's last entry — and the window widens, sixteen times each turn, until it holds
        // the events asked for or reaches the first id.
        try (Connection connection = dataSource.getConnection()) {
            long newest;
            try (PreparedStatement max = connection.prepareStatement("SELECT MAX(event_id) FROM audit_event");
                 ResultSet rs = max.executeQuery()) {
                rs.next();
                newest = rs.getLong(1);
                if (rs.wasNull()) {
                    return List.of();
                }
            }
            long window = Math.max(4L * limit, 256);
            while (true) {
                boolean whole = window >= newest;
                List<AuditRecord> records = read(connection, limit, type, whole ? Optional.empty()
                        : Optional.of(newest - window));
                if (whole || records.size() >= limit) {
                    return records;
                }
                window = window > Long.MAX_VALUE / 16 ? Long.MAX_VALUE : window * 16;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit trail: " + SchemaMigrator.describe(e), e);
        }
    }

    /** The newest {@code limit} events (of {@code type}) whose id is above {@code after}, newest first. */
    private static List<AuditRecord> read(Connection connection, int limit, Optional<String> type, Optional<Long> after)
            throws SQLException {
        List<String> conditions = new ArrayList<>();
        type.ifPresent(t -> conditions.add("event_type = ?"));
        // the bound as a literal, not a parameter: Derby then estimates from the index how few rows lie above it and
        // reads them through it; for "> ?" it assumes a third of the table and reads it all
        after.ifPresent(a -> conditions.add("event_id > " + a.longValue()));
        String sql = "SELECT " + COLUMNS + " FROM audit_event"
                // of one type: through its index, which holds only that type's events in the window (Derby's
                // override, an SQL comment elsewhere; the line break ends it)
                + (type.isPresent() ? " --DERBY-PROPERTIES index=audit_event_by_type\n" : "")
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY event_id DESC";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setMaxRows(limit);
            if (type.isPresent()) {
                query.setString(1, type.get());
            }
            List<AuditRecord> records = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next() && records.size() < limit) {
                    records.add(new AuditRecord(rs.getLong(1), new AuditEvent(rs.getTimestamp(2).toInstant(),
                            rs.getString(3), AuditChannel.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                            rs.getString(7))));
                }
            }
            return records;
        }
    }
}
