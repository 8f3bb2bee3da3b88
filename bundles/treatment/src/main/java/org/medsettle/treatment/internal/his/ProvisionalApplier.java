package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.medsettle.api.Admdvs;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.CoverageRefusedException;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.SettlementOutcome;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.support.json.AccumulatorsJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the provisional settlements (暂记结算) at their insured provinces once these answer again, in the order they
 * were made (table {@code provisional_settlement}, by {@code seq}; the first that cannot be sent stops its province's
 * round). Each one, step by step:
 * <ol>
 *   <li>the insured province's coverage is read afresh and the settlement computed again with it (the same bill,
 *       policy and date; no personal account);</li>
 *   <li>QUEUED → APPLYING, committed with what will be sent (the change, the version) and, if the amounts differ from
 *       what the hospital was told, the case's reason — so that a restart sends the same again;</li>
 *   <li>the change is applied there (once per {@code setl_id}: a repeat answers as the first did), with the amounts
 *       as the hospital was told them and paid (the money follows what was paid, the accumulators the rules);</li>
 *   <li>APPLYING → APPLIED, or → CASE (a review case for the two agencies: the amounts computed there differ, or the
 *       insured province refused it), with the settlement notice in the outbox and the audit record, one
 *       transaction.</li>
 * </ol>
 * What the hospital was told is never changed. A conflict (the person's accumulators moved between reading and
 * applying) is computed again at once, up to {@link SettlementTransactions#MAX_RECOMPUTE} times.
 */
final class ProvisionalApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisionalApplier.class);

    private final Deps deps;
    private final SettlementTransactions settlements;
    private final Provisional provisional;

    ProvisionalApplier(Deps deps, SettlementTransactions settlements, Provisional provisional) {
        this.deps = deps;
        this.settlements = settlements;
        this.provisional = provisional;
    }

    private record Entry(String setlId, Admdvs insured, String state, long appliedVersion, String appliedChange,
                         String caseReason) {
    }

    /** What a round did. */
    record Round(int applied, int cases, int waiting) {
    }

    /** One round over the queue; a province that does not answer is left for the next. */
    Round applyQueued() {
        List<Entry> queue = deps.db().inTransaction("read the provisional settlements to apply", c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT setl_id, insuplc_admdvs, state, applied_version, "
                    + "applied_change, case_reason FROM provisional_settlement WHERE state IN ('QUEUED', 'APPLYING') "
                    + "ORDER BY seq")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getString(1), Admdvs.of(rs.getString(2)), rs.getString(3), rs.getLong(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
        int applied = 0;
        int cases = 0;
        int waiting = 0;
        Set<String> silent = new HashSet<>();
        for (Entry e : queue) {
            String province = e.insured().province().code();
            if (silent.contains(province)) {
                waiting++;
                continue;
            }
            try {
                String end = applyOne(e);
                if ("APPLIED".equals(end)) {
                    applied++;
                } else if ("CASE".equals(end)) {
                    cases++;
                } else {
                    waiting++;
                }
            } catch (LinkUnavailableException ex) {
                provisional.failed(e.insured());
                silent.add(province);
                waiting++;
                problem(e.setlId(), ex.getMessage());
            } catch (RuntimeException ex) {
                // this one waits (the database, a bug): said, and the others go on
                LOG.warn("Provisional settlement {} for {} could not be applied now ({}); tried again at the next round",
                        e.setlId(), e.insured(), ex.toString());
                problem(e.setlId(), ex.toString());
                waiting++;
            }
        }
        if (applied + cases > 0) {
            LOG.info("Provisional settlements (暂记结算): {} applied at their insured provinces, {} became review cases "
                    + "(medsettle:provisional-list --state CASE), {} still waiting", applied, cases, waiting);
        }
        return new Round(applied, cases, waiting);
    }

    private void problem(String setlId, String problem) {
        try {
            deps.db().inTransaction("note the problem of provisional settlement " + setlId, c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE provisional_settlement SET attempts = attempts + 1, "
                        + "last_problem = ? WHERE setl_id = ?")) {
                    String p = problem == null ? "" : problem;
                    ps.setString(1, p.length() > 500 ? p.substring(0, 500) : p);
                    ps.setString(2, setlId);
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException ignored) {
            // the next round notes it
        }
    }

    /** Applies one queued settlement: APPLIED, CASE, or the state it was left in (another instance took it). */
    private String applyOne(Entry first) {
        InsuredPlace place = deps.insuredPlaces().apply(first.insured());
        Entry e = first;
        for (int attempt = 1; attempt <= SettlementTransactions.MAX_RECOMPUTE; attempt++) {
            String setlId = e.setlId();
            Rows.Settlement s = deps.db().inTransaction("read settlement " + setlId,
                    c -> TreatmentStore.settlement(c, setlId).orElseThrow());
            Optional<Fresh> fresh = Optional.empty();
            Accumulators change;
            long version;
            if ("APPLYING".equals(e.state())) {
                // sent before (this instance restarted, or another is on it): the same again
                change = AccumulatorsJson.read(e.appliedChange());
                version = e.appliedVersion();
            } else {
                Fresh f;
                try {
                    f = fresh(place, s);
                } catch (CoverageRefusedException refused) {
                    return toCase(s, "the insured province refused its coverage now: " + refused.getMessage()
                            + "; nothing was applied there", Optional.empty());
                }
                List<String> differences = Provisional.differences(s.amounts(), f.outcome().amounts());
                String caseReason = differences.isEmpty() ? null : "computed at the insured province's current "
                        + "accumulators (version " + f.coverage().version() + ") the settlement differs from what the "
                        + "hospital was told: " + String.join(", ", differences);
                String recomputed = Provisional.amountsText(f.outcome().amounts());
                int moved = deps.db().inTransaction("send provisional settlement " + s.setlId(), c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE provisional_settlement SET state = 'APPLYING', "
                            + "applied_version = ?, applied_change = ?, recomputed = ?, case_reason = ?, "
                            + "attempts = attempts + 1 WHERE setl_id = ? AND state = 'QUEUED'")) {
                        ps.setLong(1, f.coverage().version());
                        ps.setString(2, AccumulatorsJson.write(f.outcome().change()));
                        ps.setString(3, recomputed.length() > 4000 ? recomputed.substring(0, 4000) : recomputed);
                        ps.setString(4, caseReason);
                        ps.setString(5, s.setlId());
                        return ps.executeUpdate();
                    }
                });
                if (moved == 0) {
                    return "TAKEN";
                }
                fresh = Optional.of(f);
                change = f.outcome().change();
                version = f.coverage().version();
            }
            Optional<Fresh> used = fresh;
            ApplyResult result = place.apply(new ApplyRequest(s.insuredPlace(), s.setlId(), s.psnNo(), s.mdtrtId(),
                    deps.node(), s.hospital(), MedicalType.ofCode(s.medType()), s.setlTime(), s.year(), version, change,
                    s.amounts(), used.map(f -> f.coverage().filingId()).orElse(null),
                    used.map(f -> f.query().admissionDate()).orElseGet(() -> admission(s))));
            provisional.reached(s.insuredPlace());
            switch (result.outcome()) {
                case APPLIED -> {
                    return finish(s, change, result.version(), used);
                }
                case REFUSED -> {
                    return toCase(s, "the insured province refused it: " + result.reason() + "; nothing was applied "
                            + "there", Optional.empty());
                }
                default -> {
                    // the accumulators moved meanwhile (or the filing changed): computed again
                    deps.db().inTransaction("queue provisional settlement " + s.setlId() + " again", c -> {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE provisional_settlement SET state = "
                                + "'QUEUED', case_reason = NULL WHERE setl_id = ? AND state = 'APPLYING'")) {
                            ps.setString(1, s.setlId());
                            return ps.executeUpdate();
                        }
                    });
                    e = new Entry(e.setlId(), e.insured(), "QUEUED", 0, null, null);
                }
            }
        }
        return "QUEUED";
    }

    private java.time.LocalDate admission(Rows.Settlement s) {
        return deps.db().inTransaction("read visit " + s.mdtrtId(),
                c -> TreatmentStore.visit(c, s.mdtrtId()).orElseThrow().begin().toLocalDate());
    }

    /** The insured province's coverage now, and the settlement computed again with it. */
    private record Fresh(CoverageQuery query, Coverage coverage, SettlementOutcome outcome) {
    }

    private Fresh fresh(InsuredPlace place, Rows.Settlement s) {
        SettlementTransactions.Basis basis = deps.db().inTransaction("read visit " + s.mdtrtId(),
                c -> settlements.basisOf(c, s));
        CoverageQuery q = settlements.settlementCoverageQuery(basis);
        Coverage cov = place.coverage(q);
        return new Fresh(q, cov, settlements.recompute(basis, s, cov));
    }

    /** Applied there: APPLIED (or CASE if computed otherwise), the notice and the audit record, one transaction. */
    private String finish(Rows.Settlement s, Accumulators change, long version, Optional<Fresh> fresh) {
        Instant now = deps.clock().instant();
        return deps.db().inTransaction("finish provisional settlement " + s.setlId(), c -> {
            String reason = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT case_reason FROM provisional_settlement WHERE "
                    + "setl_id = ? AND state = 'APPLYING'")) {
                ps.setString(1, s.setlId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return "TAKEN";
                    }
                    reason = rs.getString(1);
                }
            }
            String end = reason == null ? "APPLIED" : "CASE";
            try (PreparedStatement ps = c.prepareStatement("UPDATE provisional_settlement SET state = ?, applied_at = ?, "
                    + "last_problem = NULL WHERE setl_id = ? AND state = 'APPLYING'")) {
                ps.setString(1, end);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, s.setlId());
                ps.executeUpdate();
            }
            if (fresh.isPresent()) {
                provisional.keepApplied(c, fresh.get().query(), fresh.get().coverage(), version, change, now);
            }
            deps.outbox().enqueue(c, new HubMessage("CONFIRM-" + s.setlId(), "CONFIRM", deps.node(),
                    s.insuredPlace().province(), "{\"setl_id\":\"" + s.setlId() + "\"}"));
            deps.audit().record(c, new AuditEvent(now, deps.node().code(), AuditChannel.LINK,
                    reason == null ? "PROVISIONAL_APPLIED" : "PROVISIONAL_CASE", s.setlId(), "visit " + s.mdtrtId()
                    + " insured in " + s.insuredPlace() + (reason == null ? ": applied there as settled here"
                    : ": applied there; review case: " + reason)));
            if (reason != null) {
                caseNotice(c, s, reason);
                LOG.warn("Provisional settlement {} of visit {} applied at {}, review case for the two agencies: {} "
                        + "(medsettle:provisional-list --state CASE)", s.setlId(), s.mdtrtId(), s.insuredPlace(), reason);
            }
            return end;
        });
    }

    /**
     * The insured agency's side of the case: notice {@code PROVISIONAL_CASE} to the insured province, in the case's own
     * transaction (the link's durable outbox sends it until it is taken there).
     */
    private void caseNotice(java.sql.Connection c, Rows.Settlement s, String reason) throws java.sql.SQLException {
        com.fasterxml.jackson.databind.node.ObjectNode body = Output.object();
        body.put("setl_id", s.setlId());
        body.put("psn_no", s.psnNo());
        body.put("mdtrt_id", s.mdtrtId());
        body.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        deps.outbox().enqueue(c, new HubMessage("PCASE-" + s.setlId(), "PROVISIONAL_CASE", deps.node(),
                s.insuredPlace().province(), body.toString()));
    }

    /** Not applied there (refused): a review case, nothing changed at the insured province. */
    private String toCase(Rows.Settlement s, String reason, Optional<Void> none) {
        Instant now = deps.clock().instant();
        String end = deps.db().inTransaction("make provisional settlement " + s.setlId() + " a review case", c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE provisional_settlement SET state = 'CASE', "
                    + "case_reason = ?, applied_at = NULL WHERE setl_id = ? AND state IN ('QUEUED', 'APPLYING')")) {
                ps.setString(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
                ps.setString(2, s.setlId());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                return "TAKEN";
            }
            deps.audit().record(c, new AuditEvent(now, deps.node().code(), AuditChannel.LINK, "PROVISIONAL_CASE",
                    s.setlId(), "visit " + s.mdtrtId() + " insured in " + s.insuredPlace() + ": review case: " + reason));
            caseNotice(c, s, reason);
            return "CASE";
        });
        if ("CASE".equals(end)) {
            LOG.warn("Provisional settlement {} of visit {} NOT applied at {}, review case for the two agencies: {} "
                    + "(medsettle:provisional-list --state CASE)", s.setlId(), s.mdtrtId(), s.insuredPlace(), reason);
        }
        return end;
    }
}
