package org.medsettle.api.policy;

import org.medsettle.api.model.FilingCategory;

/** The categories a policy's {@code crossProvince.ratioReduction} is keyed by. */
public enum ReductionCategory {
    LONG_TERM,
    REFERRAL,
    EMERGENCY,
    TEMPORARY;

    /** Long-term filings of every kind share {@code LONG_TERM}. */
    public static ReductionCategory of(FilingCategory category) {
        return switch (category) {
            case RETIREE_RESETTLED, LONG_TERM_RESIDENT, STATIONED_WORKER -> LONG_TERM;
            case REFERRAL -> REFERRAL;
            case EMERGENCY -> EMERGENCY;
            case TEMPORARY -> TEMPORARY;
        };
    }
}
