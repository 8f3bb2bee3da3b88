package org.medsettle.api.topup;

/**
 * Where a top-up of the treatment difference (待遇补差) stands at the insured node.
 */
public enum TopUpState {
    /** Recorded; its settlement is not applied here yet, or its month not cleared yet: not to be paid yet. */
    WAITING,
    /** Recorded, its settlement applied here and cleared (清算): to be paid. */
    PAYABLE,
    /** Paid to the person ({@code medsettle:topup-pay}). */
    PAID,
    /** Not to be paid: its settlement was undone before payment, or an administrator cancelled it. */
    CANCELLED,
    /** Paid, and its settlement undone afterwards: to be recovered from the person. */
    RECOVER
}
