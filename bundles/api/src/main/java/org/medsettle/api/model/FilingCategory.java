package org.medsettle.api.model;

import java.math.BigDecimal;

/**
 * Category of a filing (备案类别), filings.md. Long-term categories are 异地长期居住人员; the others are
 * 临时外出就医人员, whose benefits an insured province may reduce by at most {@link #maxReduction()}.
 */
public enum FilingCategory {
    /** 异地安置退休. */
    RETIREE_RESETTLED(true, BigDecimal.ZERO),
    /** 异地长期居住. */
    LONG_TERM_RESIDENT(true, BigDecimal.ZERO),
    /** 常驻异地工作. */
    STATIONED_WORKER(true, BigDecimal.ZERO),
    /** 异地转诊. */
    REFERRAL(false, new BigDecimal("0.10")),
    /** 急诊抢救: settled directly without a prior filing. */
    EMERGENCY(false, new BigDecimal("0.10")),
    /** Other temporary treatment, neither emergency nor referred. */
    TEMPORARY(false, new BigDecimal("0.20"));

    private final boolean longTerm;
    private final BigDecimal maxReduction;

    FilingCategory(boolean longTerm, BigDecimal maxReduction) {
        this.longTerm = longTerm;
        this.maxReduction = maxReduction;
    }

    public boolean longTerm() {
        return longTerm;
    }

    /** The national maximum of the cross-province reduction of the reimbursement ratio for this category. */
    public BigDecimal maxReduction() {
        return maxReduction;
    }
}
