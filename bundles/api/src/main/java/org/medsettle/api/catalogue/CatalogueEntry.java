package org.medsettle.api.catalogue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the treatment-place catalogue (就医地目录):
 * {@code med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to}.
 *
 * @param medListCodg national code of the drug, service or material
 * @param kind        drug, service or material
 * @param selfpayProp 乙类先自付比例, 0–1, zero unless class B
 * @param priceLimit  最高限价 in yuan per unit, if any
 * @param validFrom   first day valid (inclusive)
 * @param validTo     last day valid (inclusive), if any
 */
public record CatalogueEntry(String medListCodg, String name, String kind, ChargeClass chargeClass,
                             BigDecimal selfpayProp, Optional<BigDecimal> priceLimit,
                             LocalDate validFrom, Optional<LocalDate> validTo) {

    public CatalogueEntry {
        Objects.requireNonNull(medListCodg, "medListCodg");
        Objects.requireNonNull(chargeClass, "chargeClass");
        Objects.requireNonNull(selfpayProp, "selfpayProp");
        Objects.requireNonNull(priceLimit, "priceLimit");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
    }

    /** Whether the entry is valid on {@code date}, both ends inclusive. */
    public boolean validOn(LocalDate date) {
        return !date.isBefore(validFrom) && validTo.map(to -> !date.isAfter(to)).orElse(true);
    }
}
