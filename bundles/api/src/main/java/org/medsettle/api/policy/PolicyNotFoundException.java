package org.medsettle.api.policy;

import java.time.LocalDate;

import org.medsettle.api.Admdvs;

/** No policy of the insured province is in force on the date: settle nothing rather than pay zero. */
public class PolicyNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyNotFoundException(Admdvs admdvs, LocalDate date) {
        super("no policy of insured province " + admdvs + " is in force on " + date + " at this node, so nothing was "
                + "settled: the node's operator installs the policy bundle of " + admdvs + " (medsettle:policy-list); "
                + "until then the patient is settled by the manual process");
    }
}
