package org.medsettle.api.settlement;

/**
 * The visit cannot be settled as asked: bad input (named by its field) or something the policy does not cover.
 * Never a zero payout instead.
 */
public class SettlementRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public SettlementRefusedException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The input field at fault, e.g. {@code feedetail[3].det_item_fee_sumamt} or {@code med_type}. */
    public String field() {
        return field;
    }
}
