package org.medsettle.api.policy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/** Which insured-place policies (参保地政策) this node has, and which version is in force on a date. */
public interface PolicyRegistry {

    /** Every province with at least one policy version, in code order. */
    List<ProvincePolicy> provinces();

    /** One province's policy, if any bundle provides it. */
    Optional<ProvincePolicy> province(Admdvs province);

    /**
     * The version of the province's policy in force on {@code settlementDate}. The returned object never
     * changes: a settlement computed with it finishes with it whatever is installed meanwhile.
     *
     * @throws PolicyNotFoundException if there is none: settle nothing rather than pay zero
     */
    PolicyVersion inForce(Admdvs province, LocalDate settlementDate);

    /** Policy bundles refused since they were last accepted, newest first. */
    List<PolicyRefusal> refusals();
}
