package org.medsettle.treatment.internal.his;

import java.time.Clock;
import java.util.function.Function;

import org.medsettle.api.Admdvs;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.settlement.SettlementEngine;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;

/**
 * What the transactions work with. {@code insuredPlaces} answers, for an insured province, the service that speaks
 * for it (this node itself for its own province, the national link for the others) or throws
 * {@link org.medsettle.api.link.LinkUnavailableException}. {@code supervision} answers the supervision rules' service
 * (waited for while its bundle is updated) or throws {@link NodeNotReady}.
 */
record Deps(Transactor db, InstanceIdentity identity, HospitalRegistry hospitals, Catalogue catalogue,
            SettlementEngine engine, PolicyRegistry policies, AuditLog audit,
            Function<Admdvs, InsuredPlace> insuredPlaces, NoticeOutbox outbox, SettlementLedger ledger,
            java.util.function.Supplier<org.medsettle.api.supervision.Supervision> supervision, Clock clock,
            PlausibleDates dates) {

    Admdvs node() {
        return identity.admdvs();
    }

    /** A number of the node's own kind: its division code and a zero-padded serial, e.g. for mdtrt_id. */
    String serial(String sequence, int digits) {
        long n = db.nextId(sequence);
        String s = Long.toString(n);
        if (s.length() > digits) {
            s = s.substring(s.length() - digits);
        }
        return node().province().code() + "0".repeat(digits - s.length()) + s;
    }
}
