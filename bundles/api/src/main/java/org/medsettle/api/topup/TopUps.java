package org.medsettle.api.topup;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.Money;

/**
 * The top-ups of the treatment difference (待遇补差) this insured province owes its insured persons (service of the
 * insured bundle, at every node for its own province).
 */
public interface TopUps {

    /** Count and sum of the top-ups in one state. */
    record Total(long count, Money amount) {
    }

    /** Per state, how many and how much (every state, zero ones too), in the order of {@link TopUpState}. */
    Map<TopUpState, Total> totals();

    /**
     * The top-ups, newest settlement first: in {@code state} if given, of the settlements of {@code month} (China
     * time) if given, at most {@code limit} (1 to 1000).
     */
    List<TopUp> list(Optional<TopUpState> state, Optional<YearMonth> month, int limit);

    /** One top-up, by its settlement. */
    Optional<TopUp> get(String setlId);

    /** What a payment run did. */
    record Payment(long paid, Money amount, List<String> setlIds) {
    }

    /**
     * Records as PAID the PAYABLE top-ups — the one of {@code setlId} if given (refused with the reason if it is not
     * payable), else all — with the payment's reference (1 to 64 characters: the bank batch, the voucher), each
     * posted to the ledger and audited in one transaction.
     *
     * @throws IllegalArgumentException a top-up named that does not exist or is not payable, or a bad reference
     */
    Payment pay(Optional<String> setlId, String paymentRef, String by);

    /**
     * Cancels a WAITING or PAYABLE top-up (e.g. the review of its settlement found it not due), with the reason (1 to
     * 500 characters), posted and audited in one transaction; answers it as it is now.
     *
     * @throws IllegalArgumentException no such top-up, it is paid or cancelled already, or a bad reason
     */
    TopUp cancel(String setlId, String reason, String by);
}
