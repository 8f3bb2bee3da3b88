package org.medsettle.api.policy;

/** How a benefit's deductible (起付线) is charged. */
public enum DeductibleMode {
    /** Each admission; after the first inpatient admission of the year times the repeat-admission factor. */
    PER_ADMISSION,
    /** Once a year per cap pool: what is due is the deductible minus what was already paid under annual benefits. */
    ANNUAL
}
