package org.medsettle.treatment.internal.his;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.insured.UndoResult;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.support.json.AccumulatorsJson;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;

/**
 * 2305 / 2208, the reversal of a settlement (结算撤销): the insured place takes back exactly what it applied, then the
 * reversal is committed here with its audit record. Serialized per visit with the settlements ({@link VisitLocks}).
 */
final class Reversals {

    private final Deps deps;
    private final Envelopes envelopes;
    private final VisitLocks visitLocks;

    Reversals(Deps deps, Envelopes envelopes, VisitLocks visitLocks) {
        this.deps = deps;
        this.envelopes = envelopes;
        this.visitLocks = visitLocks;
    }

    /** 2305 / 2208: reverses a settlement (结算撤销); the insured place takes back exactly what it applied. */
    byte[] reverse(Call call, boolean outpatient) {
        Input data = call.input().object("data");
        String setlId = data.text("setl_id", VisitTransactions.SERIAL, "a settlement id");
        String mdtrtId = data.text("mdtrt_id", VisitTransactions.SERIAL, "a visit number");
        String psnNo = data.text("psn_no", VisitTransactions.SERIAL, "a person number");
        ReentrantLock lock = visitLocks.of(mdtrtId);
        lock.lock();
        try {
            Rows.Settlement original = deps.db().inTransaction("read settlement " + setlId, c -> {
                Rows.Visit v = VisitTransactions.ownVisit(c, call, mdtrtId, psnNo, data.path());
                Optional<Rows.Settlement> s = TreatmentStore.settlement(c, setlId);
                if (s.isEmpty() || !s.get().mdtrtId().equals(mdtrtId) || s.get().reversal()) {
                    throw HisRefusal.field(data.path() + ".setl_id", "no settlement " + setlId + " of visit " + mdtrtId);
                }
                if (v.inpatient() == outpatient) {
                    throw HisRefusal.field(data.path() + ".setl_id", "reverse " + (v.inpatient() ? "an inpatient "
                            + "settlement with 2305" : "an outpatient settlement with 2208"));
                }
                if (!"SETTLED".equals(s.get().state())) {
                    throw HisRefusal.field(data.path() + ".setl_id", "settlement " + setlId + " is " + s.get().state()
                            + ("REVERSED".equals(s.get().state()) ? ": it was already reversed" : ""));
                }
                Provisional.refuseIfNotApplied(c, setlId, data.path() + ".setl_id", "reversed");
                return s.get();
            });
            String reversalId = deps.serial("setl_id", 14);
            UndoResult undone;
            try {
                undone = deps.insuredPlaces().apply(original.insuredPlace()).undo(original.insuredPlace(), setlId, reversalId);
            } catch (org.medsettle.api.maintenance.InMaintenanceException e) {
            // not asked: the insured province announced it is down (HisService answers until when)
            throw e;
        } catch (LinkUnavailableException e) {
                throw HisRefusal.uncertain("the insured province " + original.insuredPlace() + " could not be reached; "
                        + "the settlement is not reversed: try again later");
            }
            Instant now = deps.clock().instant();
            LocalDateTime time = LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA));
            Rows.Settlement reversal = new Rows.Settlement(reversalId, "REVERSAL", Optional.of(setlId), "SETTLED",
                    original.mdtrtId(), original.psnNo(), original.psnName(), original.hospital(),
                    original.insuredPlace(), original.insutype(), original.psnType(), original.medType(), call.msgid(),
                    time, original.year(), original.accVersion(),
                    original.amounts().negatedWithBalance(undone.balance()), original.setldetail(),
                    AccumulatorsJson.write(AccumulatorsJson.read(original.change()).negate()));
            byte[] answer = envelopes.commit(call, "reverse settlement " + setlId, c -> {
                if (!TreatmentStore.moveSettlement(c, setlId, "SETTLED", "REVERSED", now)) {
                    throw HisRefusal.business("settlement " + setlId + " was reversed by another request meanwhile");
                }
                TreatmentStore.insertSettlement(c, reversal, now);
                // the reversal's entries: its negated amounts, the opposite of the settlement's
                deps.ledger().settled(c, reversal);
                Rows.Visit v = TreatmentStore.visit(c, mdtrtId).orElseThrow();
                String back = v.inpatient() ? "DISCHARGED" : "OPEN";
                TreatmentStore.moveVisit(c, mdtrtId, "SETTLED", back, null, null, false, null, call.msgid(), now);
                deps.audit().record(c, new AuditEvent(now, call.hospital().code(), AuditChannel.HIS,
                        "SETTLEMENT_REVERSED", setlId, "by " + reversalId + ", visit " + mdtrtId));
                ObjectNode output = Output.object();
                output.set("setlinfo", Output.setlinfo(reversal));
                output.set("setldetail", SettlementQuery.negatedDetail(original.setldetail()));
                return output;
            });
            return answer;
        } finally {
            lock.unlock();
        }
    }
}
