package org.medsettle.api.model;

import java.time.LocalDate;
import java.util.Objects;

import org.medsettle.api.Admdvs;

/**
 * An insured person as kept by the node of their insured province (参保地).
 *
 * @param psnNo         {@code psn_no}, the person number
 * @param certno        {@code certno}, the ID number (personal data: never logged at INFO)
 * @param name          {@code psn_name} (personal data)
 * @param gender        {@code gend}: 1 male, 2 female
 * @param birthDate     {@code brdy}
 * @param insuranceType {@code insutype}
 * @param personType    {@code psn_type}
 * @param assistance    medical-assistance category
 * @param insuredPlace  {@code insuplc_admdvs}
 * @param employer      {@code emp_name}, may be empty
 */
public record Person(String psnNo, String certno, String name, String gender, LocalDate birthDate,
                     InsuranceType insuranceType, PersonType personType, Assistance assistance,
                     Admdvs insuredPlace, String employer) {

    public Person {
        Objects.requireNonNull(psnNo, "psnNo");
        Objects.requireNonNull(certno, "certno");
        Objects.requireNonNull(insuranceType, "insuranceType");
        Objects.requireNonNull(personType, "personType");
        Objects.requireNonNull(assistance, "assistance");
        Objects.requireNonNull(insuredPlace, "insuredPlace");
        employer = employer == null ? "" : employer;
    }

    public boolean retired() {
        return personType == PersonType.EMPLOYEE_RETIRED;
    }
}
