package org.medsettle.api.settlement;

/** The settlement calculation of settlement-rules.md. Pure: no I/O, no state; the same input gives the same outcome. */
public interface SettlementEngine {

    /**
     * Computes a (pre-)settlement.
     *
     * @throws SettlementRefusedException if the input is bad or the policy does not cover the visit
     */
    SettlementOutcome settle(SettlementInput input);
}
