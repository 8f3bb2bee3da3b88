package org.medsettle.api.policy;

import java.time.LocalDate;
import java.util.List;

import org.medsettle.api.Admdvs;

/**
 * All versions of one insured province's policy. Published as an OSGi service per province with the service
 * property {@code admdvs=<code>}; an immutable snapshot: a later install or update publishes a new one.
 */
public interface ProvincePolicy {

    Admdvs admdvs();

    /** Oldest effective date first. */
    List<PolicyVersion> versions();

    /**
     * The version whose {@code effectiveFrom} is the latest not after {@code settlementDate}.
     *
     * @throws PolicyNotFoundException if every version starts after that date
     */
    PolicyVersion inForce(LocalDate settlementDate);
}
