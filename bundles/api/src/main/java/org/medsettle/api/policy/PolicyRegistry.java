package org.medsettle.api.policy;

import java.time.LocalDate;
import java.util.List;

import org.medsettle.api.Admdvs;

/** Which insured-place policies (参保地政策) this node knows, and which version is in force on a date. */
public interface PolicyRegistry {

    /** Every province with at least one policy version, in code order. */
    List<Admdvs> provinces();

    /** All versions of one province's policy, oldest effective date first; empty if none. */
    List<PolicyVersion> versions(Admdvs province);

    /**
     * The version in force on {@code settlementDate}: the one with the latest {@code effectiveFrom} not after it.
     *
     * @throws PolicyNotFoundException if there is none
     */
    PolicyVersion inForce(Admdvs province, LocalDate settlementDate);
}
