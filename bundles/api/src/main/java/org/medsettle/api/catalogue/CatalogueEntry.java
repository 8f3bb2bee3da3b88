package org.medsettle.api.catalogue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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

    /**
     * The form of a national list code (医保目录编码) wherever one comes in: a HIS fee line's {@code med_list_codg}
     * and a catalogue line's alike, so that no catalogue entry is imported that no fee line could name.
     */
    public static final org.medsettle.api.AsciiCode CODE = new org.medsettle.api.AsciiCode(60, "._-");
    /** {@link #CODE} as a regular expression. */
    public static final Pattern CODE_FORMAT = CODE.pattern();
    /** {@link #CODE} in words, for a refusal. */
    public static final String CODE_DESCRIBED = "1 to 60 letters, digits, '.', '_' or '-'";

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
        return !date.isBefore(validFrom) && (validTo.isEmpty() || !date.isAfter(validTo.get()));
    }
}
