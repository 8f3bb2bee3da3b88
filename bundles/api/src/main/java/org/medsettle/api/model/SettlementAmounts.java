package org.medsettle.api.model;

import java.math.BigDecimal;

import org.medsettle.api.Money;

/**
 * The amounts of one settlement, named as in {@code setlinfo}. In a settlement:
 * {@code medfee_sumamt = fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt + inscp_scp_amt}
 * and {@code medfee_sumamt = fund_pay_sumamt + psn_part_amt}, {@code psn_part_amt = acct_pay + psn_cash_pay}.
 * {@code pool_prop_selfpay} is a ratio (4 decimals), as in the national interface, not an amount.
 */
public record SettlementAmounts(
        Money medfeeSumamt,
        Money fulamtOwnpayAmt,
        Money overlmtSelfpay,
        Money preselfpayAmt,
        Money inscpScpAmt,
        Money actPayDedc,
        Money hifpPay,
        BigDecimal poolPropSelfpay,
        Money cvlservPay,
        Money hifesPay,
        Money hifmiPay,
        Money hifobPay,
        Money mafPay,
        Money othPay,
        Money fundPaySumamt,
        Money psnPartAmt,
        Money acctPay,
        Money psnCashPay,
        Money balc) {

    /** The amounts of a reversal: every amount negated (the ratio kept) except the account balance after it. */
    public SettlementAmounts negatedWithBalance(Money balanceAfter) {
        return new SettlementAmounts(medfeeSumamt.negate(), fulamtOwnpayAmt.negate(), overlmtSelfpay.negate(),
                preselfpayAmt.negate(), inscpScpAmt.negate(), actPayDedc.negate(), hifpPay.negate(),
                poolPropSelfpay, cvlservPay.negate(), hifesPay.negate(), hifmiPay.negate(),
                hifobPay.negate(), mafPay.negate(), othPay.negate(), fundPaySumamt.negate(), psnPartAmt.negate(),
                acctPay.negate(), psnCashPay.negate(), balanceAfter);
    }
}
