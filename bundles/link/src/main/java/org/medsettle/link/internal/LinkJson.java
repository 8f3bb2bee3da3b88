package org.medsettle.link.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.insured.ApplyRequest;
import org.medsettle.api.insured.ApplyResult;
import org.medsettle.api.insured.Coverage;
import org.medsettle.api.insured.CoverageQuery;
import org.medsettle.api.insured.InsuredPerson;
import org.medsettle.api.insured.PersonQuery;
import org.medsettle.api.insured.UndoResult;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.settlement.AccumulatorsText;
import org.medsettle.link.internal.wire.WireJson;

/** The insured-place messages between nodes as JSON; amounts in fen, accumulators as {@link AccumulatorsText}. */
public final class LinkJson {

    private LinkJson() {
    }

    static ObjectNode object() {
        return WireJson.object();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("message field " + field + " missing");
        }
        return v.asText();
    }

    private static Optional<String> optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    // person

    static ObjectNode personQuery(PersonQuery q) {
        ObjectNode o = object();
        q.insuredPlace().ifPresent(a -> o.put("insuplc_admdvs", a.code()));
        q.psnNo().ifPresent(p -> o.put("psn_no", p));
        q.certno().ifPresent(c -> o.put("certno", c));
        return o;
    }

    static PersonQuery personQuery(JsonNode n) {
        return new PersonQuery(optText(n, "insuplc_admdvs").map(Admdvs::of), optText(n, "psn_no"), optText(n, "certno"));
    }

    static ObjectNode person(Person p) {
        ObjectNode o = object();
        o.put("psn_no", p.psnNo());
        o.put("certno", p.certno());
        o.put("psn_name", p.name());
        o.put("gend", p.gender());
        o.put("brdy", p.birthDate() == null ? "" : p.birthDate().toString());
        o.put("insutype", p.insuranceType().code());
        o.put("psn_type", p.personType().code());
        o.put("assistance", p.assistance().code());
        o.put("insuplc_admdvs", p.insuredPlace().code());
        o.put("emp_name", p.employer());
        return o;
    }

    static Person person(JsonNode n) {
        return new Person(text(n, "psn_no"), text(n, "certno"), text(n, "psn_name"), text(n, "gend"),
                optText(n, "brdy").map(LocalDate::parse).orElse(null), InsuranceType.ofCode(text(n, "insutype")),
                PersonType.ofCode(text(n, "psn_type")), Assistance.ofCode(text(n, "assistance")),
                Admdvs.of(text(n, "insuplc_admdvs")), text(n, "emp_name"));
    }

    static ObjectNode insuredPerson(Optional<InsuredPerson> p) {
        ObjectNode o = object();
        o.put("found", p.isPresent());
        p.ifPresent(ip -> {
            o.set("person", person(ip.person()));
            o.put("balc", ip.balance().fen());
        });
        return o;
    }

    static Optional<InsuredPerson> insuredPerson(JsonNode n) {
        if (!n.path("found").asBoolean()) {
            return Optional.empty();
        }
        return Optional.of(new InsuredPerson(person(n.get("person")), Money.ofFen(n.path("balc").asLong())));
    }

    // coverage

    static ObjectNode coverageQuery(CoverageQuery q) {
        ObjectNode o = object();
        o.put("insuplc_admdvs", q.insuredPlace().code());
        o.put("psn_no", q.psnNo());
        o.put("mdtrtarea_admvs", q.treatmentPlace().code());
        o.put("admission_date", q.admissionDate().toString());
        o.put("settlement_date", q.settlementDate().toString());
        o.put("med_type", q.medicalType().code());
        o.put("record_emergency", q.recordEmergency());
        return o;
    }

    static CoverageQuery coverageQuery(JsonNode n) {
        return new CoverageQuery(Admdvs.of(text(n, "insuplc_admdvs")), text(n, "psn_no"), Admdvs.of(text(n, "mdtrtarea_admvs")),
                LocalDate.parse(text(n, "admission_date")), LocalDate.parse(text(n, "settlement_date")),
                MedicalType.ofCode(text(n, "med_type")), n.path("record_emergency").asBoolean());
    }

    static ObjectNode coverage(Coverage c) {
        ObjectNode o = object();
        o.set("person", person(c.person()));
        o.put("filing_id", c.filingId());
        o.put("category", c.category().name());
        o.put("year", c.year());
        o.put("version", c.version());
        o.put("accumulators", AccumulatorsText.write(c.accumulators()));
        return o;
    }

    static Coverage coverage(JsonNode n) {
        return new Coverage(person(n.get("person")), text(n, "filing_id"), FilingCategory.valueOf(text(n, "category")),
                n.path("year").asInt(), n.path("version").asLong(), AccumulatorsText.read(text(n, "accumulators")));
    }

    // apply

    private static final String[] AMOUNTS = {"medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
            "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay",
            "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "balc"};

    static ObjectNode amounts(SettlementAmounts a) {
        ObjectNode o = object();
        Money[] m = {a.medfeeSumamt(), a.fulamtOwnpayAmt(), a.overlmtSelfpay(), a.preselfpayAmt(), a.inscpScpAmt(),
                a.actPayDedc(), a.hifpPay(), a.cvlservPay(), a.hifesPay(), a.hifmiPay(), a.hifobPay(), a.mafPay(),
                a.othPay(), a.fundPaySumamt(), a.psnPartAmt(), a.acctPay(), a.psnCashPay(), a.balc()};
        for (int i = 0; i < AMOUNTS.length; i++) {
            o.put(AMOUNTS[i], m[i].fen());
        }
        o.put("pool_prop_selfpay", a.poolPropSelfpay());
        return o;
    }

    static SettlementAmounts amounts(JsonNode n) {
        Money[] m = new Money[AMOUNTS.length];
        for (int i = 0; i < AMOUNTS.length; i++) {
            m[i] = Money.ofFen(n.path(AMOUNTS[i]).asLong());
        }
        BigDecimal ratio = n.path("pool_prop_selfpay").decimalValue();
        return new SettlementAmounts(m[0], m[1], m[2], m[3], m[4], m[5], m[6], ratio, m[7], m[8], m[9], m[10], m[11],
                m[12], m[13], m[14], m[15], m[16], m[17]);
    }

    static ObjectNode applyRequest(ApplyRequest r) {
        ObjectNode o = object();
        o.put("insuplc_admdvs", r.insuredPlace().code());
        o.put("setl_id", r.setlId());
        o.put("psn_no", r.psnNo());
        o.put("mdtrt_id", r.mdtrtId());
        o.put("mdtrtarea_admvs", r.treatmentPlace().code());
        o.put("fixmedins_code", r.fixmedinsCode());
        o.put("med_type", r.medicalType().code());
        o.put("setl_time", r.setlTime().toString());
        o.put("year", r.year());
        o.put("expected_version", r.expectedVersion());
        o.put("change", AccumulatorsText.write(r.change()));
        o.set("amounts", amounts(r.amounts()));
        if (r.filingId() != null) {
            o.put("filing_id", r.filingId());
        }
        o.put("begndate", r.admissionDate().toString());
        return o;
    }

    static ApplyRequest applyRequest(JsonNode n) {
        return new ApplyRequest(Admdvs.of(text(n, "insuplc_admdvs")), text(n, "setl_id"), text(n, "psn_no"),
                text(n, "mdtrt_id"), Admdvs.of(text(n, "mdtrtarea_admvs")), text(n, "fixmedins_code"),
                MedicalType.ofCode(text(n, "med_type")), LocalDateTime.parse(text(n, "setl_time")), n.path("year").asInt(),
                n.path("expected_version").asLong(), AccumulatorsText.read(text(n, "change")), amounts(n.get("amounts")),
                n.hasNonNull("filing_id") ? n.get("filing_id").asText() : null,
                java.time.LocalDate.parse(text(n, "begndate")));
    }

    static ObjectNode applyResult(ApplyResult r) {
        ObjectNode o = object();
        o.put("outcome", r.outcome().name());
        o.put("version", r.version());
        o.put("reason", r.reason());
        return o;
    }

    static ApplyResult applyResult(JsonNode n) {
        return new ApplyResult(ApplyResult.Outcome.valueOf(text(n, "outcome")), n.path("version").asLong(),
                n.path("reason").asText());
    }

    static ObjectNode undoResult(UndoResult r) {
        ObjectNode o = object();
        o.put("applied", r.applied());
        o.put("balc", r.balance().fen());
        return o;
    }

    static UndoResult undoResult(JsonNode n) {
        return new UndoResult(n.path("applied").asBoolean(), Money.ofFen(n.path("balc").asLong()));
    }
}
