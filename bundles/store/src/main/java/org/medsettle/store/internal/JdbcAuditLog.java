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
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.AuditRecord;
import org.medsettle.api.store.StoreException;
import org.medsettle.support.sql.NewestFirst;

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
        // the trail keeps every event (one per settlement at least): the newest from the last ids (NewestFirst)
        try (Connection connection = dataSource.getConnection()) {
            return NewestFirst.read(connection, "audit_event", "event_id", limit,
                    (c, above) -> read(c, limit, type, above));
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit trail: " + SchemaMigrator.describe(e), e);
        }
    }

    /** The newest {@code limit} events (of {@code type}) whose id is above {@code above}, newest first. */
    private static List<AuditRecord> read(Connection connection, int limit, Optional<String> type, OptionalLong above)
            throws SQLException {
        List<String> conditions = new ArrayList<>();
        type.ifPresent(t -> conditions.add("event_type = ?"));
        above.ifPresent(a -> conditions.add("event_id > " + a));
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
