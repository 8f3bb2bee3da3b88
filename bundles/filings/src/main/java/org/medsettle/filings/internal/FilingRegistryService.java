package org.medsettle.filings.internal;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.PlainText;
import org.medsettle.api.filing.FilingChange;
import org.medsettle.api.filing.FilingDetails;
import org.medsettle.api.filing.FilingRefusedException;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.model.Filing;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.FilingState;
import org.medsettle.api.person.PersonRegistry;
import org.medsettle.api.store.Actor;
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
 * Filings in tables {@code filing} and {@code filing_change}, by the rules of filings.md (the choices where it is
 * silent are in docs/decisions.md):
 * <ul>
 *   <li>long-term categories hold until changed or cancelled, and are not changed or cancelled within
 *       {@value #LONG_TERM_LOCK_MONTHS} months of the day they were made ("once made"), whatever day they start,
 *       unless the person moved back;</li>
 *   <li>a filing starts at most a year ahead, and not before the person was born;</li>
 *   <li>temporary categories ({@code REFERRAL}, {@code TEMPORARY}) hold for the period given, at least
 *       {@value #TEMPORARY_MONTHS} months ({@code valid_to} defaults to that);</li>
 *   <li>one active filing per person and treatment province: a new one supersedes the old;</li>
 *   <li>an emergency visit without a filing records an {@code EMERGENCY} filing for its day, which supersedes
 *       nothing;</li>
 *   <li>nothing is deleted: every change is a row of {@code filing_change}.</li>
 * </ul>
 */
@Component(service = FilingRegistry.class)
public class FilingRegistryService implements FilingRegistry {

    static final int LONG_TERM_LOCK_MONTHS = 6;
    static final int TEMPORARY_MONTHS = 6;
    /** How far ahead an advance filing may start (a late filing, 补办, may start any time back after the birth). */
    static final int MAX_DAYS_AHEAD = 366;
    private static final Logger LOG = LoggerFactory.getLogger(FilingRegistryService.class);
    private static final String COLUMNS = "filing_id, psn_no, category, treatment_admdvs, valid_from, valid_to, state";

    private final Transactor db;
    private final AuditLog audit;
    private final PersonRegistry persons;
    private final InstanceIdentity identity;
    private final Clock clock;

    @Activate
    public FilingRegistryService(@Reference Transactor db, @Reference AuditLog audit,
                                 @Reference PersonRegistry persons, @Reference InstanceIdentity identity) {
        // the business's clock (an instance's MEDSETTLE_CLOCK_OFFSET included): the filings' today is the settlements'
        this(db, audit, persons, identity, BusinessClock.system());
    }

    FilingRegistryService(Transactor db, AuditLog audit, PersonRegistry persons, InstanceIdentity identity,
                          Clock clock) {
        this.db = db;
        this.audit = audit;
        this.persons = persons;
        this.identity = identity;
        this.clock = clock;
    }

    private LocalDate today() {
        return BusinessClock.today(clock);
    }

    @Override
    public Filing file(FilingRequest request, Actor actor, String reason) {
        Admdvs home = identity.admdvs();
        org.medsettle.api.model.Person person = persons.byPsnNo(request.psnNo()).orElseThrow(() ->
                new FilingRefusedException("psn_no", "no person insured in " + home.province() + " has number "
                        + request.psnNo() + " (medsettle:person-show)"));
        if (!request.treatmentPlace().inRealProvince()) {
            throw new FilingRefusedException("mdtrtarea_admvs", request.treatmentPlace() + " is not in a province: its "
                    + "first two digits name none (GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-66)");
        }
        if (request.treatmentPlace().sameProvinceAs(home)) {
            throw new FilingRefusedException("mdtrtarea_admvs", request.treatmentPlace()
                    + " is in this node's own province; a filing is for treatment in another province");
        }
        FilingCategory category = request.category();
        LocalDate today = today();
        if (request.validFrom().isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
            throw new FilingRefusedException("valid_from", request.validFrom() + " is more than a year ahead of today "
                    + today);
        }
        if (person.birthDate() != null && request.validFrom().isBefore(person.birthDate())) {
            // a late filing (补办) reaches back to an admission, never to before the person was born
            throw new FilingRefusedException("valid_from", request.validFrom() + " is before the person was born");
        }
        Optional<LocalDate> validTo = request.validTo();
        if (category.longTerm()) {
            if (validTo.isPresent()) {
                throw new FilingRefusedException("valid_to", "a long-term filing (" + category
                        + ") holds until changed or cancelled: leave valid_to empty");
            }
        } else if (category != FilingCategory.EMERGENCY) {
            LocalDate shortest = request.validFrom().plusMonths(TEMPORARY_MONTHS).minusDays(1);
            if (validTo.isEmpty()) {
                validTo = Optional.of(shortest);
            } else if (validTo.get().isBefore(shortest)) {
                throw new FilingRefusedException("valid_to", "a temporary filing holds at least " + TEMPORARY_MONTHS
                        + " months: from " + request.validFrom() + " to " + shortest + " or later");
            }
        } else if (validTo.isEmpty()) {
            validTo = Optional.of(request.validFrom());
        }
        if (validTo.isPresent() && validTo.get().isBefore(request.validFrom())) {
            throw new FilingRefusedException("valid_to", validTo.get() + " is before valid_from " + request.validFrom());
        }
        if (category != FilingCategory.EMERGENCY && request.evidence().isEmpty()) {
            throw new FilingRefusedException("evidence", evidenceNeeded(category));
        }
        if (request.evidence().length() > 500) {
            throw new FilingRefusedException("evidence", "at most 500 characters");
        }
        if (request.receivingHospital().length() > 30) {
            throw new FilingRefusedException("receiving_hospital", "at most 30 characters");
        }
        plainText("evidence", request.evidence());
        plainText("receiving_hospital", request.receivingHospital());
        plainText("reason", reason);
        String why = reason == null || reason.isBlank() ? "filed" : reason.strip();
        Instant now = clock.instant();
        String id = "F" + home.province().code() + String.format("%010d", db.nextId("filing_id"));
        Optional<LocalDate> to = validTo;
        Filing filed = db.inTransaction("file " + id, c -> {
            // the person's row first: filings for one person made at once (the agency's counter and the online
            // service, two instances of the node) supersede one another in turn — one stays in force, never two
            if (!persons.hold(c, request.psnNo())) {
                throw new FilingRefusedException("psn_no", "no person insured in " + home.province() + " has number "
                        + request.psnNo() + " (medsettle:person-show)");
            }
            if (category == FilingCategory.EMERGENCY) {
                // an emergency's filing recorded meanwhile (two settlements of the rescue at once): that one
                Optional<Filing> recorded = active(c, request.psnNo(), request.treatmentPlace()).stream()
                        .filter(f -> f.category() == FilingCategory.EMERGENCY && f.covers(request.validFrom()))
                        .findFirst();
                if (recorded.isPresent()) {
                    return recorded.get();
                }
            }
            for (Filing old : active(c, request.psnNo(), request.treatmentPlace())) {
                if (category == FilingCategory.EMERGENCY || old.category() == FilingCategory.EMERGENCY) {
                    continue;
                }
                if (old.stateOn(today) == FilingState.EXPIRED) {
                    continue;
                }
                if (old.category().longTerm()) {
                    LocalDate unlocked = madeOn(c, old.filingId()).plusMonths(LONG_TERM_LOCK_MONTHS);
                    if (today.isBefore(unlocked)) {
                        throw new FilingRefusedException("psn_no", "the long-term filing " + old.filingId()
                                + " (from " + old.validFrom() + ") cannot be changed before " + unlocked + ", "
                                + LONG_TERM_LOCK_MONTHS + " months after it was made, unless the person moved back "
                                + "(cancel it with moved-back first)");
                    }
                }
                setState(c, old.filingId(), FilingState.SUPERSEDED, id, now);
                change(c, old.filingId(), now, "SUPERSEDED", actor, "superseded by " + id + ": " + why, FilingState.SUPERSEDED);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO filing (" + COLUMNS
                    + ", evidence, receiving_hospital, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, request.psnNo());
                ps.setString(3, category.name());
                ps.setString(4, request.treatmentPlace().code());
                ps.setDate(5, Date.valueOf(request.validFrom()));
                ps.setDate(6, to.map(Date::valueOf).orElse(null));
                ps.setString(7, FilingState.ACTIVE.name());
                ps.setString(8, request.evidence());
                ps.setString(9, request.receivingHospital());
                ps.setTimestamp(10, Timestamp.from(now));
                ps.setTimestamp(11, Timestamp.from(now));
                ps.executeUpdate();
            }
            change(c, id, now, "FILED", actor, why, FilingState.ACTIVE);
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "FILING_ADDED", id,
                    category + " for treatment in " + request.treatmentPlace() + " from " + request.validFrom()
                            + to.map(d -> " to " + d).orElse("") + " for " + request.psnNo()));
            return new Filing(id, request.psnNo(), category, request.treatmentPlace(), request.validFrom(), to,
                    FilingState.ACTIVE);
        });
        if (filed.filingId().equals(id)) {
            LOG.info("Filing {} ({}, treatment in {}) added by {} via {}", id, category, request.treatmentPlace(),
                    actor.name(), actor.channel());
        }
        return filed;
    }

    private static String evidenceNeeded(FilingCategory category) {
        return switch (category) {
            case REFERRAL -> "a referral needs the referring hospital's opinion (转诊意见)";
            case RETIREE_RESETTLED, LONG_TERM_RESIDENT, STATIONED_WORKER ->
                    "a long-term filing needs residence proof or the person's commitment (个人承诺)";
            default -> "a temporary filing needs the person's commitment (个人承诺)";
        };
    }

    @Override
    public Filing cancel(String filingId, Actor actor, String reason, boolean movedBack) {
        if (reason == null || reason.isBlank()) {
            throw new FilingRefusedException("reason", "say why the filing is cancelled");
        }
        plainText("reason", reason);
        Instant now = clock.instant();
        LocalDate today = today();
        Filing cancelled = db.inTransaction("cancel filing " + filingId, c -> {
            Filing found = byId(c, filingId).orElseThrow(() -> new FilingRefusedException("filing_id",
                    "no filing " + filingId + " at this node"));
            // the person's row, as a new filing takes it, then the filing read again: a cancellation at once with
            // another, or with a filing superseding this one, finds it as the other left it
            persons.hold(c, found.psnNo());
            Filing filing = byId(c, filingId).orElseThrow();
            FilingState state = filing.stateOn(today);
            if (state != FilingState.ACTIVE) {
                throw new FilingRefusedException("filing_id", filingId + " is " + state + ", not active");
            }
            if (filing.category().longTerm() && !movedBack) {
                LocalDate unlocked = madeOn(c, filingId).plusMonths(LONG_TERM_LOCK_MONTHS);
                if (today.isBefore(unlocked)) {
                    throw new FilingRefusedException("filing_id", "the long-term filing " + filingId + " (from "
                            + filing.validFrom() + ") cannot be cancelled before " + unlocked + ", "
                            + LONG_TERM_LOCK_MONTHS + " months after it was made, unless the person moved back");
                }
            }
            setState(c, filingId, FilingState.CANCELLED, null, now);
            change(c, filingId, now, "CANCELLED", actor, (movedBack ? "moved back: " : "") + reason.strip(),
                    FilingState.CANCELLED);
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "FILING_CANCELLED", filingId,
                    reason.strip()));
            return new Filing(filing.filingId(), filing.psnNo(), filing.category(), filing.treatmentPlace(),
                    filing.validFrom(), filing.validTo(), FilingState.CANCELLED);
        });
        LOG.info("Filing {} cancelled by {} via {}", filingId, actor.name(), actor.channel());
        return cancelled;
    }

    @Override
    public Optional<Filing> filing(String filingId) {
        return db.inTransaction("read filing " + filingId, c -> byId(c, filingId));
    }

    @Override
    public Optional<Filing> filing(Connection connection, String filingId) throws SQLException {
        return byId(connection, filingId);
    }

    @Override
    public Optional<FilingDetails> details(String filingId) {
        return db.inTransaction("read filing " + filingId, c -> {
            Optional<Filing> filing = byId(c, filingId);
            if (filing.isEmpty()) {
                return Optional.empty();
            }
            String evidence;
            String hospital;
            Optional<String> supersededBy;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT evidence, receiving_hospital, superseded_by FROM filing WHERE filing_id = ?")) {
                ps.setString(1, filingId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    evidence = rs.getString(1);
                    hospital = rs.getString(2);
                    supersededBy = Optional.ofNullable(rs.getString(3));
                }
            }
            List<FilingChange> history = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT changed_at, action, operator, channel, reason, "
                    + "state_after FROM filing_change WHERE filing_id = ? ORDER BY id")) {
                ps.setString(1, filingId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        history.add(new FilingChange(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                                AuditChannel.valueOf(rs.getString(4)), rs.getString(5), FilingState.valueOf(rs.getString(6))));
                    }
                }
            }
            return Optional.of(new FilingDetails(filing.get(), evidence, hospital, supersededBy, history));
        });
    }

    @Override
    public List<Filing> forPerson(String psnNo) {
        return db.inTransaction("list the filings of a person", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", created_at FROM filing "
                    + "WHERE psn_no = ?")) {
                ps.setString(1, psnNo);
                return newestFirst(ps);
            }
        });
    }

    @Override
    public Optional<Filing> covering(String psnNo, Admdvs treatmentPlace, LocalDate admissionDate) {
        return db.inTransaction("check the filing of a person", c -> covering(c, psnNo, treatmentPlace, admissionDate));
    }

    @Override
    public Optional<Filing> covering(Connection connection, String psnNo, Admdvs treatmentPlace,
                                     LocalDate admissionDate) throws SQLException {
        return active(connection, psnNo, treatmentPlace).stream().filter(f -> f.covers(admissionDate)).findFirst();
    }

    @Override
    public Filing emergency(String psnNo, Admdvs treatmentPlace, LocalDate admissionDate, Actor actor) {
        Optional<Filing> recorded = db.inTransaction("check the emergency filing of a person",
                c -> active(c, psnNo, treatmentPlace).stream()
                        .filter(f -> f.category() == FilingCategory.EMERGENCY && f.covers(admissionDate))
                        .findFirst());
        if (recorded.isPresent()) {
            return recorded.get();
        }
        return file(new FilingRequest(psnNo, FilingCategory.EMERGENCY, treatmentPlace, admissionDate,
                Optional.of(admissionDate), "", ""), actor, "emergency rescue settled without prior filing (急诊抢救)");
    }

    private static List<Filing> active(Connection c, String psnNo, Admdvs treatmentPlace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", created_at FROM filing WHERE "
                + "psn_no = ? AND state = 'ACTIVE'")) {
            ps.setString(1, psnNo);
            return newestFirst(ps).stream().filter(f -> f.treatmentPlace().sameProvinceAs(treatmentPlace)).toList();
        }
    }

    /**
     * The filings {@code ps} selects ({@link #COLUMNS}, then {@code created_at}), newest first (the latest filed, the
     * larger id first among those filed at once): sorted here, not by Derby, whose sorter costs more than a person's
     * few filings — this runs at every settlement's apply (SettlementPlansTest in the treatment bundle).
     */
    private static List<Filing> newestFirst(PreparedStatement ps) throws SQLException {
        record Made(Filing filing, Timestamp createdAt) {
        }
        List<Made> made = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                made.add(new Made(filing(rs), rs.getTimestamp(8)));
            }
        }
        made.sort(java.util.Comparator.comparing(Made::createdAt)
                .thenComparing(m -> m.filing().filingId()).reversed());
        return made.stream().map(Made::filing).toList();
    }

    /**
     * The day, in China, filing {@code filingId} was made: a long-term filing's lock runs from it (filings.md rule 1,
     * "once made"), not from its {@code valid_from}, which a late filing (补办) puts in the past.
     */
    private static LocalDate madeOn(Connection c, String filingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT created_at FROM filing WHERE filing_id = ?")) {
            ps.setString(1, filingId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("filing " + filingId + " vanished");
                }
                return rs.getTimestamp(1).toInstant().atZone(BusinessClock.ZONE).toLocalDate();
            }
        }
    }

    private static Optional<Filing> byId(Connection c, String filingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM filing WHERE filing_id = ?")) {
            ps.setString(1, filingId);
            return list(ps).stream().findFirst();
        }
    }

    private static List<Filing> list(PreparedStatement ps) throws SQLException {
        List<Filing> filings = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                filings.add(filing(rs));
            }
        }
        return filings;
    }

    private static Filing filing(ResultSet rs) throws SQLException {
        Date to = rs.getDate(6);
        return new Filing(rs.getString(1), rs.getString(2), FilingCategory.valueOf(rs.getString(3)),
                Admdvs.of(rs.getString(4)), rs.getDate(5).toLocalDate(), Optional.ofNullable(to).map(Date::toLocalDate),
                FilingState.valueOf(rs.getString(7)));
    }

    private static void setState(Connection c, String filingId, FilingState state, String supersededBy, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE filing SET state = ?, superseded_by = ?, updated_at = ? WHERE filing_id = ?")) {
            ps.setString(1, state.name());
            ps.setString(2, supersededBy);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, filingId);
            ps.executeUpdate();
        }
    }

    /** Free text is one line of characters meant to be read ({@link PlainText}). */
    private static void plainText(String field, String text) {
        PlainText.problem(text).ifPresent(problem -> {
            throw new FilingRefusedException(field, problem + "; " + PlainText.RULE);
        });
    }

    private static void change(Connection c, String filingId, Instant at, String action, Actor actor, String reason,
                               FilingState after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO filing_change (filing_id, changed_at, action, "
                + "operator, channel, reason, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, filingId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, action);
            ps.setString(4, actor.name());
            ps.setString(5, actor.channel().name());
            ps.setString(6, reason.length() > 500 ? reason.substring(0, 500) : reason);
            ps.setString(7, after.name());
            ps.executeUpdate();
        }
    }
}
