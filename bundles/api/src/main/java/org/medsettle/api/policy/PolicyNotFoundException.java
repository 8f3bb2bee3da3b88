package org.medsettle.api.policy;

import java.time.LocalDate;

import org.medsettle.api.Admdvs;

/** No policy of the insured province is in force on the date: settle nothing rather than pay zero. */
public class PolicyNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PolicyNotFoundException(Admdvs admdvs, LocalDate date) {
        super("no policy of insured province " + admdvs + " is in force on " + date
                + ": install its policy bundle (feature medsettle-policy-" + admdvs + ")");
    }
}
