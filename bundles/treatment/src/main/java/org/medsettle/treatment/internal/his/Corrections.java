package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;

/**
 * 2601 correction (冲正): undoes a transaction whose answer the hospital never got, so that the books end up as if
 * it was never sent. Undoing what was never done is a success (the HIS can always retry), and leaves a mark so
 * that the original, arriving late, is refused.
 */
final class Corrections {

    private static final Pattern MSGID = Pattern.compile("[0-9A-Za-z]{1,40}");

    private final Deps deps;
    private final Envelopes envelopes;
    private final SettlementTransactions settlements;

    Corrections(Deps deps, Envelopes envelopes, SettlementTransactions settlements) {
        this.deps = deps;
        this.envelopes = envelopes;
        this.settlements = settlements;
    }

    byte[] correct(Call call) {
        Input data = call.input().object("data");
        String psnNo = data.text("psn_no", VisitTransactions.SERIAL, "a person number");
        PersonCheck person = (of, what) -> {
            if (!of.equals(psnNo)) {
                throw HisRefusal.field(data.path() + ".psn_no", psnNo + " is not the person of " + what);
            }
        };
        String omsgid = data.text("omsgid", MSGID, "the msgid of the transaction to undo");
        String oinfno = data.text("oinfno", Pattern.compile("\\d{4}"), "the infno of the transaction to undo");
        if (!omsgid.startsWith(call.hospital().code())) {
            throw HisRefusal.field(data.path() + ".omsgid", "not a message of hospital " + call.hospital().code());
        }
        if (omsgid.equals(call.msgid())) {
            throw HisRefusal.field(data.path() + ".omsgid", "a correction cannot correct itself");
        }
        if ("2305".equals(oinfno) || "2208".equals(oinfno) || "2601".equals(oinfno)) {
            throw HisRefusal.field(data.path() + ".oinfno", oinfno + " is not corrected: query the settlement (5203) "
                    + "and settle again if needed");
        }
        Instant now = deps.clock().instant();
        try {
            return commit(call, data, omsgid, oinfno, person, now);
        } catch (CorrectedMeanwhile meanwhile) {
            // another correction of the same never-answered message committed its marker first: this one, run again,
            // finds the message corrected and undoes nothing
            return commit(call, data, omsgid, oinfno, person, now);
        }
    }

    /** Thrown to roll back a correction whose marker of a never-answered message another correction wrote first. */
    private static final class CorrectedMeanwhile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorrectedMeanwhile() {
            super(null, null, false, false);
        }
    }

    /**
     * The correction in one transaction. The original message's row is taken first — marked corrected by a
     * conditional update, or its marker inserted if it was never answered — so that of two corrections of one message
     * at once (through two instances sharing the database), the second waits for the first and then undoes nothing.
     */
    private byte[] commit(Call call, Input data, String omsgid, String oinfno, PersonCheck person, Instant now) {
        return envelopes.commit(call, "correct " + omsgid, c -> {
            Optional<Rows.Message> original = TreatmentStore.message(c, omsgid);
            if (original.isPresent()) {
                Rows.Message m = original.get();
                if (!m.hospital().equals(call.hospital().code())) {
                    throw HisRefusal.field(data.path() + ".omsgid", "not a message of hospital " + call.hospital().code());
                }
                if (!m.infno().equals(oinfno)) {
                    throw HisRefusal.field(data.path() + ".oinfno", "message " + omsgid + " was a " + m.infno());
                }
                if (m.correctedAt().isEmpty() && TreatmentStore.markCorrected(c, omsgid, now)) {
                    undo(c, call, m, now, person);
                }
            } else {
                // never answered: refuse the original if it comes late (its marker, first), undo what may be half-done
                try {
                    TreatmentStore.recordMessage(c, omsgid, call.hospital().code(), oinfno, "-", "2601",
                            TreatmentStore.zip(new byte[0]), now, true);
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        throw new CorrectedMeanwhile();
                    }
                    throw e;
                }
                List<Rows.Settlement> half = TreatmentStore.settlementsOfMessage(c, omsgid);
                for (Rows.Settlement s : half) {
                    person.check(s.psnNo(), "settlement " + s.setlId());
                }
                for (Rows.Settlement s : half) {
                    settlements.correct(c, call, s, now);
                }
            }
            deps.audit().record(c, new AuditEvent(now, call.hospital().code(), AuditChannel.HIS, "CORRECTED", omsgid,
                    "2601 of " + oinfno + " by " + call.msgid()));
            return Output.object();
        });
    }

    /** Refuses a correction whose {@code psn_no} is not the person of what the original message changed. */
    @FunctionalInterface
    private interface PersonCheck {
        void check(String psnNo, String what);
    }

    private void undo(Connection c, Call call, Rows.Message m, Instant now, PersonCheck person) throws SQLException {
        switch (m.infno()) {
            case "2401", "2201" -> {
                String mdtrtId = Output.read(new String(m.response(), java.nio.charset.StandardCharsets.UTF_8))
                        .path("output").path("2401".equals(m.infno()) ? "result" : "data").path("mdtrt_id").asText();
                Rows.Visit v = TreatmentStore.visit(c, mdtrtId).orElseThrow();
                person.check(v.psnNo(), "visit " + mdtrtId);
                if (!"OPEN".equals(v.state()) || !TreatmentStore.fees(c, mdtrtId, true).isEmpty()) {
                    throw HisRefusal.business("visit " + mdtrtId + " opened by " + m.msgid() + " is " + v.state()
                            + " with fee details or a settlement: cancel those first");
                }
                TreatmentStore.moveVisit(c, mdtrtId, "OPEN", "CANCELLED", null, null, false, null, call.msgid(), now);
            }
            case "2402", "2404", "2405" -> {
                List<String> changed = visitsChangedBy(c, m.msgid());
                for (String mdtrtId : changed) {
                    person.check(TreatmentStore.visit(c, mdtrtId).orElseThrow().psnNo(), "visit " + mdtrtId);
                }
                for (String mdtrtId : changed) {
                    Rows.Visit v = TreatmentStore.visit(c, mdtrtId).orElseThrow();
                    if ("SETTLED".equals(v.state())) {
                        throw HisRefusal.business("visit " + mdtrtId + " is settled: reverse the settlement first");
                    }
                    String back = v.priorState().orElse("OPEN");
                    TreatmentStore.moveVisit(c, mdtrtId, v.state(), back, null, null, "2402".equals(m.infno()),
                            null, call.msgid(), now);
                }
            }
            case "2301", "2204", "2302" -> {
                List<String> visits = TreatmentStore.visitsTouchedBy(c, m.msgid());
                // each visit taken first, then read: a settlement committed meanwhile is seen (SETTLED)
                for (String mdtrtId : visits) {
                    TreatmentStore.lockVisitFees(c, mdtrtId, Optional.empty(), Optional.empty());
                }
                for (String mdtrtId : visits) {
                    Rows.Visit v = TreatmentStore.visit(c, mdtrtId).orElseThrow();
                    person.check(v.psnNo(), "visit " + mdtrtId);
                    if (!"OPEN".equals(v.state()) && !"DISCHARGED".equals(v.state())) {
                        throw HisRefusal.business("visit " + mdtrtId + " is " + v.state()
                                + ": its fee details are no longer changed");
                    }
                }
                for (String mdtrtId : visits) {
                    if ("2302".equals(m.infno())) {
                        TreatmentStore.restoreCancelledBy(c, mdtrtId, m.msgid());
                    } else {
                        TreatmentStore.cancelUploadedBy(c, mdtrtId, m.msgid(), call.msgid());
                    }
                }
            }
            case "2304", "2207" -> {
                List<Rows.Settlement> settled = TreatmentStore.settlementsOfMessage(c, m.msgid());
                for (Rows.Settlement s : settled) {
                    person.check(s.psnNo(), "settlement " + s.setlId());
                }
                for (Rows.Settlement s : settled) {
                    settlements.correct(c, call, s, now);
                }
            }
            default -> {
                // 9001, 1101, 2303, 2206, 5203 changed nothing
            }
        }
    }

    private static List<String> visitsChangedBy(Connection c, String msgid) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT mdtrt_id FROM visit WHERE state_msgid = ?")) {
            ps.setString(1, msgid);
            List<String> ids = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }
}
