package org.medsettle.api.insured;

import java.util.Objects;

import org.medsettle.api.Money;

/**
 * @param applied whether anything was taken back (false: the settlement had never been applied)
 * @param balance the person's account balance after the undo
 */
public record UndoResult(boolean applied, Money balance) {

    public UndoResult {
        Objects.requireNonNull(balance, "balance");
    }
}
