package org.medsettle.api.model;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/**
 * A filing (异地就医备案), kept by the node of the insured province.
 *
 * @param filingId       assigned by the insured node, never reused
 * @param psnNo          {@code psn_no}
 * @param category       the category
 * @param treatmentPlace {@code mdtrtarea_admvs}, the province (or city) of treatment
 * @param validFrom      first day covered
 * @param validTo        last day covered; empty for long-term filings held until changed
 * @param state          stored state (EXPIRED is derived, see {@link #stateOn(LocalDate)})
 */
public record Filing(String filingId, String psnNo, FilingCategory category, Admdvs treatmentPlace,
                     LocalDate validFrom, Optional<LocalDate> validTo, FilingState state) {

    public Filing {
        Objects.requireNonNull(filingId, "filingId");
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(treatmentPlace, "treatmentPlace");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
        Objects.requireNonNull(state, "state");
        if (validTo.isPresent() && validTo.get().isBefore(validFrom)) {
            throw new IllegalArgumentException("filing valid to " + validTo.get() + " before valid from " + validFrom);
        }
    }

    /** The state on a date: an active filing past its last day is EXPIRED. */
    public FilingState stateOn(LocalDate date) {
        if (state == FilingState.ACTIVE && validTo.isPresent() && date.isAfter(validTo.get())) {
            return FilingState.EXPIRED;
        }
        return state;
    }

    /** Whether the filing lets the person settle directly for a visit admitted on {@code admissionDate}. */
    public boolean covers(LocalDate admissionDate) {
        return state == FilingState.ACTIVE && !admissionDate.isBefore(validFrom)
                && validTo.map(to -> !admissionDate.isAfter(to)).orElse(true);
    }
}
