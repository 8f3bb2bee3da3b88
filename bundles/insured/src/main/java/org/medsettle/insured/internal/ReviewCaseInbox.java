package org.medsettle.insured.internal;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkRequestHandler;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The insured agency's side of a review case on a provisional settlement (暂记结算) of one of its insured: the treatment
 * node's notice {@code PROVISIONAL_CASE} (what differs, or why it was refused) is kept in {@code insured_review_case}
 * (which this bundle alone writes), and {@code PROVISIONAL_CASE_CLOSED} records the conclusion the treatment node's
 * administrator wrote. Each once per {@code setl_id} (a repeat changes nothing), audited with the sending province; a
 * case is taken only from the province it names as the place of treatment.
 */
@Component(service = LinkRequestHandler.class, property = {LinkRequestHandler.TYPES + "=" + ReviewCaseInbox.CASE,
        LinkRequestHandler.TYPES + "=" + ReviewCaseInbox.CLOSED})
public class ReviewCaseInbox implements LinkRequestHandler {

    static final String CASE = "PROVISIONAL_CASE";
    static final String CLOSED = "PROVISIONAL_CASE_CLOSED";
    private static final Logger LOG = LoggerFactory.getLogger(ReviewCaseInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transactor db;
    private final AuditLog audit;
    private final Clock clock;

    @Activate
    public ReviewCaseInbox(@Reference Transactor db, @Reference AuditLog audit) {
        this(db, audit, Clock.systemUTC());
    }

    ReviewCaseInbox(Transactor db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String answer(HubMessage message) {
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        String setlId = text(body, "setl_id", 40);
        String from = message.from().province().code();
        Instant now = clock.instant();
        if (CASE.equals(message.type())) {
            String psnNo = text(body, "psn_no", 30);
            String mdtrtId = text(body, "mdtrt_id", 40);
            String reason = text(body, "reason", 1000);
            boolean fresh = db.inTransaction("record review case " + setlId, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM insured_review_case WHERE setl_id = ?")) {
                    ps.setString(1, setlId);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return false;
                        }
                    }
                }
                java.sql.Savepoint before = c.setSavepoint();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO insured_review_case (setl_id, "
                        + "mdtrtarea_admvs, psn_no, mdtrt_id, reason, received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, setlId);
                    ps.setString(2, from);
                    ps.setString(3, psnNo);
                    ps.setString(4, mdtrtId);
                    ps.setString(5, reason);
                    ps.setTimestamp(6, Timestamp.from(now));
                    ps.executeUpdate();
                } catch (java.sql.SQLException e) {
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                        throw e;
                    }
                    // the same notice taken by another instance meanwhile
                    c.rollback(before);
                    return false;
                }
                audit.record(c, new AuditEvent(now, from, AuditChannel.LINK, "PROVISIONAL_CASE_RECEIVED", setlId,
                        "person " + psnNo + ", visit " + mdtrtId + " at " + from + ": " + reason));
                return true;
            });
            if (fresh) {
                LOG.warn("Review case from {} on provisional settlement {} of person {}: {} (medsettle:provisional-list)",
                        from, setlId, psnNo, reason);
            }
            return "{\"recorded\":" + fresh + "}";
        }
        if (CLOSED.equals(message.type())) {
            String by = text(body, "by", 64);
            String note = text(body, "note", 500);
            int closed = db.inTransaction("close review case " + setlId, c -> {
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE insured_review_case SET closed_at = ?, "
                        + "closed_by = ?, note = ? WHERE setl_id = ? AND mdtrtarea_admvs = ? AND closed_at IS NULL")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, by + "@" + from);
                    ps.setString(3, note);
                    ps.setString(4, setlId);
                    ps.setString(5, from);
                    n = ps.executeUpdate();
                }
                if (n > 0) {
                    audit.record(c, new AuditEvent(now, by + "@" + from, AuditChannel.LINK, "PROVISIONAL_CASE_CLOSED",
                            setlId, note));
                }
                return n;
            });
            return "{\"closed\":" + (closed > 0) + "}";
        }
        throw new IllegalArgumentException("not a review-case notice: " + message.type());
    }

    private static String text(JsonNode body, String field, int max) {
        String v = body.path(field).asText("").strip();
        if (v.isEmpty() || v.length() > max) {
            throw new IllegalArgumentException(field + ": 1 to " + max + " characters");
        }
        return v;
    }
}
