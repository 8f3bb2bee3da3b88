package org.medsettle.api.filing;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.model.FilingCategory;

/**
 * A filing (备案) as asked for by the person, their employer or the agency.
 *
 * @param psnNo             {@code psn_no} of a person insured at this node
 * @param category          the category
 * @param treatmentPlace    the province (or a city in it) of treatment
 * @param validFrom         first day covered; may lie in the past for a late filing before discharge
 * @param validTo           last day covered (temporary categories); empty: 6 months (temporary) or until changed
 *                          (long-term)
 * @param evidence          what the category needs: residence proof, a personal commitment (个人承诺), the referring
 *                          hospital's opinion
 * @param receivingHospital for referrals, the receiving hospital's {@code fixmedins_code}; may be empty
 */
public record FilingRequest(String psnNo, FilingCategory category, Admdvs treatmentPlace, LocalDate validFrom,
                            Optional<LocalDate> validTo, String evidence, String receivingHospital) {

    public FilingRequest {
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(treatmentPlace, "treatmentPlace");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
        evidence = evidence == null ? "" : evidence.strip();
        receivingHospital = receivingHospital == null ? "" : receivingHospital.strip();
    }
}
