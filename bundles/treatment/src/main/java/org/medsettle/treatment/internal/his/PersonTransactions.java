package org.medsettle.treatment.internal.his;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.insured.InsuredPerson;
import org.medsettle.api.insured.PersonQuery;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.Person;
import org.medsettle.api.supervision.Supervision;

/** Sign-in (9001) and person information (1101). */
final class PersonTransactions {

    /** The national level: "ask the hub". */
    static final Admdvs NATIONAL = Admdvs.of("100000");

    private final Deps deps;
    private final Envelopes envelopes;

    PersonTransactions(Deps deps, Envelopes envelopes) {
        this.deps = deps;
        this.envelopes = envelopes;
    }

    /** 9001 sign in (签到): a sign-in serial for the operator's day. */
    byte[] signIn(Call call) {
        Input in = call.input().object("signIn");
        in.text("opter_no");
        LocalDateTime now = LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA));
        ObjectNode output = Output.object();
        ObjectNode out = output.putObject("signinoutb");
        out.put("sign_time", Output.TIME.format(now));
        out.put("sign_no", deps.serial("sign_no", 14));
        return envelopes.success(output, "");
    }

    /**
     * 1101 person information (人员信息获取): by ID number ({@code mdtrt_cert_type} 02, or {@code certno}), or by
     * the person number an e-code (01) resolves to. A person of another province is looked up at their insured node
     * through the hub.
     */
    byte[] person(Call call) {
        Input data = call.input().object("data");
        String type = data.oneOf("mdtrt_cert_type", "01", "02", "03");
        String certNo = data.text("mdtrt_cert_no");
        Optional<String> certno = data.optText("certno");
        Optional<String> givenName = data.optText("psn_name");
        Optional<String> psnNo = Optional.empty();
        switch (type) {
            case "02" -> certno = Optional.of(certNo);
            case "01" -> psnNo = Optional.of(certNo);
            default -> {
                if (certno.isEmpty()) {
                    throw HisRefusal.field(data.path() + ".certno", "required with a social security card (03)");
                }
            }
        }
        if (certno.isPresent() && !Credential.ID_NUMBER.matcher(certno.get()).matches()) {
            throw HisRefusal.field(data.path() + (type.equals("02") ? ".mdtrt_cert_no" : ".certno"),
                    "must be an 18-character ID number");
        }
        Optional<String> idNumber = certno.map(s -> s.toUpperCase(java.util.Locale.ROOT));
        Optional<Admdvs> insured = call.insuredPlace();
        PersonQuery query = new PersonQuery(insured, psnNo, idNumber);
        Optional<InsuredPerson> found;
        try {
            // an unknown insured place goes to the hub, whose index of insured persons finds it
            found = deps.insuredPlaces().apply(insured.orElse(NATIONAL)).person(query);
        } catch (org.medsettle.api.maintenance.InMaintenanceException e) {
            // not asked: the insured province announced it is down (HisService answers until when)
            throw e;
        } catch (LinkUnavailableException e) {
            throw HisRefusal.uncertain("the national hub or the insured province could not be reached to look the "
                    + "person up; try again in a moment");
        }
        InsuredPerson p = found.orElseThrow(() -> HisRefusal.field(data.path() + ".mdtrt_cert_no",
                "no insured person found" + insured.map(a -> " in " + a).orElse("") + " for this "
                        + ("01".equals(type) ? "e-code" : "ID number")));
        // the identity check (身份核验): what the hospital gave against the insured record
        Optional<String> givenCertno = type.equals("02") ? Optional.empty() : certno;
        Optional<Supervision.Finding> failed = deps.supervision().get().identityCheck(new Supervision.IdentityCheck(
                call.hospital().code(), p.person().psnNo(), p.person().name(), p.person().certno(), givenName,
                givenCertno, LocalDateTime.now(deps.clock().withZone(Envelopes.CHINA))));
        if (failed.isPresent() && failed.get().mode() == Supervision.Mode.BLOCK) {
            throw HisRefusal.business("the identity check failed: " + failed.get().detail() + "; check the patient's "
                    + "identity document (the failed check is recorded)");
        }
        return envelopes.success(personOutput(p), failed.map(f -> "the identity check failed: " + f.detail()
                + "; the person's settlements are flagged for review (就医地监管)").orElse(""));
    }

    private ObjectNode personOutput(InsuredPerson ip) {
        Person p = ip.person();
        ObjectNode output = Output.object();
        ObjectNode base = output.putObject("baseinfo");
        base.put("psn_no", p.psnNo());
        base.put("psn_cert_type", "01");
        base.put("certno", p.certno());
        base.put("psn_name", p.name());
        base.put("gend", p.gender());
        base.put("naty", "");
        base.put("brdy", p.birthDate() == null ? "" : p.birthDate().toString());
        LocalDate today = LocalDate.now(deps.clock().withZone(Envelopes.CHINA));
        base.put("age", p.birthDate() == null ? 0 : Period.between(p.birthDate(), today).getYears());
        ArrayNode insu = output.putArray("insuinfo");
        ObjectNode i = insu.addObject();
        i.put("balc", Output.yuan(ip.balance()));
        i.put("insutype", p.insuranceType().code());
        i.put("psn_type", p.personType().code());
        i.put("psn_insu_stas", "1");
        i.put("psn_insu_date", "");
        i.put("paus_insu_date", "");
        i.put("cvlserv_flag", "0");
        i.put("insuplc_admdvs", p.insuredPlace().code());
        i.put("emp_name", p.employer());
        ArrayNode idet = output.putArray("idetinfo");
        if (p.assistance() != null && p.assistance() != Assistance.NONE) {
            ObjectNode d = idet.addObject();
            d.put("psn_idet_type", p.assistance().code());
            d.put("psn_type_lv", "");
            d.put("begntime", "");
            d.put("endtime", "");
        }
        return output;
    }
}
