package org.medsettle.api.insured;

import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/**
 * A {@code 1101} look-up: by person number or ID number.
 *
 * @param insuredPlace the insured province if the hospital knows it; empty: the hub's index finds it
 */
public record PersonQuery(Optional<Admdvs> insuredPlace, Optional<String> psnNo, Optional<String> certno) {

    public PersonQuery {
        Objects.requireNonNull(insuredPlace, "insuredPlace");
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(certno, "certno");
        if (psnNo.isEmpty() && certno.isEmpty()) {
            throw new IllegalArgumentException("a person look-up needs psn_no or certno");
        }
    }
}
