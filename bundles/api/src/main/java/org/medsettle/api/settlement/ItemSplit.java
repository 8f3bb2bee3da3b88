package org.medsettle.api.settlement;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Money;
import org.medsettle.api.catalogue.ChargeClass;

/**
 * How one fee line splits against the catalogue (the {@code 2301} answer per line):
 * {@code amount = fulamtOwnpay + overlmtSelfpay + preselfpay + inscp}.
 *
 * @param feedetlSn      {@code feedetl_sn}
 * @param amount         {@code det_item_fee_sumamt}
 * @param chargeClass    the catalogue class; empty if the code is unknown or not valid on the fee's date
 * @param priceLimit     {@code pric_uplmt_amt}, if the entry has one
 * @param selfpayProp    {@code selfpay_prop}
 * @param fulamtOwnpay   {@code fulamt_ownpay_amt}: unknown, not valid, or class C
 * @param overlmtSelfpay {@code overlmt_amt}: above the price limit
 * @param preselfpay     {@code preselfpay_amt}: class B's first share
 * @param inscp          {@code inscp_scp_amt}: in scope
 */
public record ItemSplit(String feedetlSn, Money amount, Optional<ChargeClass> chargeClass, Optional<BigDecimal> priceLimit,
                        BigDecimal selfpayProp, Money fulamtOwnpay, Money overlmtSelfpay, Money preselfpay, Money inscp) {

    public ItemSplit {
        Objects.requireNonNull(feedetlSn, "feedetlSn");
        Objects.requireNonNull(chargeClass, "chargeClass");
        Objects.requireNonNull(priceLimit, "priceLimit");
        Objects.requireNonNull(selfpayProp, "selfpayProp");
    }

    /** {@code chrgitm_lv}: the class's code, or {@code 03} (self-pay) when the code is not in the catalogue. */
    public String chrgitmLv() {
        return chargeClass.orElse(ChargeClass.C).chrgitmLv();
    }
}
