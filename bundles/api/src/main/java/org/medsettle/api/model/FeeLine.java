package org.medsettle.api.model;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Objects;

import org.medsettle.api.Money;

/**
 * One fee detail line uploaded by a hospital ({@code 2301}/{@code 2204}).
 *
 * @param feedetlSn     {@code feedetl_sn}, the hospital's serial of the line within the visit
 * @param medListCodg   {@code med_list_codg}, national code of the item
 * @param feeOcurTime   {@code fee_ocur_time}, when the fee arose (decides catalogue validity)
 * @param pric          {@code pric}, unit price in yuan (may have more than two decimals)
 * @param cnt           {@code cnt}, quantity
 * @param amount        {@code det_item_fee_sumamt}, the line's amount
 */
public record FeeLine(String feedetlSn, String medListCodg, LocalDateTime feeOcurTime,
                      BigDecimal pric, BigDecimal cnt, Money amount) {

    public FeeLine {
        Objects.requireNonNull(feedetlSn, "feedetlSn");
        Objects.requireNonNull(medListCodg, "medListCodg");
        Objects.requireNonNull(feeOcurTime, "feeOcurTime");
        Objects.requireNonNull(pric, "pric");
        Objects.requireNonNull(cnt, "cnt");
        Objects.requireNonNull(amount, "amount");
    }
}
