package org.medsettle.treatment.internal.his;

import java.util.Optional;
import java.util.regex.Pattern;

import org.medsettle.api.model.Person;

/**
 * The credential a patient presented at an admission, a registration or a (pre-)settlement (就诊凭证:
 * {@code mdtrt_cert_type} and {@code mdtrt_cert_no}), checked against the insured record of the person the request
 * names: a visit opened or settled for one person on another person's credential moves money to the wrong account
 * (冒名就医).
 *
 * @param type   {@code 01} the electronic certificate (医保电子凭证), {@code 02} the ID card, {@code 03} the social
 *               security card
 * @param number {@code mdtrt_cert_no}
 * @param at     the field's path, for a refusal
 */
record Credential(String type, String number, String at) {

    /** An 18-character ID number (GB 11643), the last character a digit or X. */
    static final Pattern ID_NUMBER = Pattern.compile("\\d{17}[\\dXx]");

    /**
     * The credential of {@code in} ({@code mdtrt_cert_type} and {@code mdtrt_cert_no}), none when the request gives no
     * {@code mdtrt_cert_type}; checked as far as it can be without the insured record: an ID card's number is an ID
     * number.
     */
    static Optional<Credential> of(Input in) {
        return in.certificateType().map(type -> {
            String number = in.text("mdtrt_cert_no");
            String at = in.path().isEmpty() ? "mdtrt_cert_no" : in.path() + ".mdtrt_cert_no";
            if (type.equals("02") && !ID_NUMBER.matcher(number).matches()) {
                // the number itself is not repeated: an ID number is personal data
                throw HisRefusal.field(at, "an ID card (02) needs an 18-character ID number");
            }
            return new Credential(type, number, at);
        });
    }

    /**
     * Refused ({@code -2}, nothing done) unless an ID card's number is {@code person}'s ID number ({@code x} matching
     * {@code X}). An electronic certificate's code and a social security card's number are not checked: neither is in
     * the insured record (this node has no e-code or card registry; the code is a token the national platform
     * resolves), nor is an ID card against a record that keeps no ID number (a provisional settlement's snapshot,
     * 暂记结算).
     */
    void check(Person person) {
        if (type.equals("02") && !person.certno().isEmpty() && !number.equalsIgnoreCase(person.certno())) {
            throw HisRefusal.field(at, "the ID card (02) presented is not person " + person.psnNo() + "'s: its ID "
                    + "number is not the one the insured province has for them; check the patient's identity document");
        }
    }
}
