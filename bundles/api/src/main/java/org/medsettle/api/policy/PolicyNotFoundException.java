package org.medsettle.api.policy;

import java.time.LocalDate;

import org.medsettle.api.Admdvs;

/** No policy of the insured province is in force on the date: settle nothing rather than pay zero. */
public class PolicyNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyNotFoundException(Admdvs admdvs, LocalDate date) {
        super("no policy of insured province " + admdvs + " is in force on " + date + " at this node, so nothing was "
                + "settled: " + admdvs + " publishes it through the national hub (medsettle:policy-publish at its node; "
                + "every node installs it within a minute) or this node's operator installs its policy bundle "
                + "(medsettle:policy-list); until then the patient is settled by the manual process");
    }
}
