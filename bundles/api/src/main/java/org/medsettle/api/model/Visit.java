package org.medsettle.api.model;

import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/**
 * A visit (就诊): an inpatient stay or an outpatient encounter at a designated hospital.
 *
 * @param mdtrtId        {@code mdtrt_id}, assigned by the node of treatment
 * @param psnNo          {@code psn_no}
 * @param fixmedinsCode  {@code fixmedins_code}, the hospital
 * @param medicalType    {@code med_type}
 * @param begin          {@code begntime}, admission or registration
 * @param end            {@code endtime}, discharge, once known
 * @param insuredPlace   {@code insuplc_admdvs}
 * @param treatmentPlace {@code mdtrtarea_admvs}
 */
public record Visit(String mdtrtId, String psnNo, String fixmedinsCode, MedicalType medicalType,
                    LocalDateTime begin, Optional<LocalDateTime> end, Admdvs insuredPlace, Admdvs treatmentPlace) {

    public Visit {
        Objects.requireNonNull(mdtrtId, "mdtrtId");
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(fixmedinsCode, "fixmedinsCode");
        Objects.requireNonNull(medicalType, "medicalType");
        Objects.requireNonNull(begin, "begin");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(insuredPlace, "insuredPlace");
        Objects.requireNonNull(treatmentPlace, "treatmentPlace");
    }

    /** Whether the person is insured in another province than where they are treated (异地). */
    public boolean crossProvince() {
        return !insuredPlace.sameProvinceAs(treatmentPlace);
    }
}
