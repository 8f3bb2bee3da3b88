package org.medsettle.link.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
import org.medsettle.support.json.AccumulatorsJson;

/**
 * The insured-place messages between nodes (the {@code body} of a link message) as Jackson databind maps them:
 * field names as the national interface spells them, amounts in fen, accumulators as {@link AccumulatorsJson}.
 * A field the receiver does not know is ignored (a newer sender during an upgrade); a required one missing or of
 * the wrong kind is an {@link IllegalArgumentException} naming it, which the receiver answers 400.
 */
final class LinkMessages {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private LinkMessages() {
    }

    static JsonNode tree(Object message) {
        return JSON.valueToTree(message);
    }

    static <T> T read(JsonNode body, Class<T> type) {
        try {
            return JSON.treeToValue(body, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " message: " + e.getMessage(), e);
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("message field " + field + " missing");
        }
        return value;
    }

    /** The largest ratio a settlement keeps (DECIMAL(6,4)). */
    private static final java.math.BigDecimal MAX_RATIO = new java.math.BigDecimal("99.9999");

    /**
     * A ratio as a settlement keeps it (DECIMAL(6,4)): at most 4 decimals, not negative, below 100 — refused otherwise
     * before anything computes with it or writes it (1e-999999999 would cost a rounding its whole exponent).
     */
    private static java.math.BigDecimal ratio(java.math.BigDecimal value, String field) {
        required(value, field);
        if (value.signum() < 0 || value.compareTo(MAX_RATIO) > 0 || value.stripTrailingZeros().scale() > 4) {
            throw new IllegalArgumentException("message field " + field + " must be a ratio of at most 4 decimals "
                    + "from 0 to " + MAX_RATIO + ": " + org.medsettle.api.Decimals.shown(value));
        }
        return value;
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    // ---- person

    /** {@code PERSON_LOOKUP}. */
    record PersonQueryMessage(@JsonProperty("insuplc_admdvs") String insuredPlace,
                              @JsonProperty("psn_no") String psnNo,
                              @JsonProperty("certno") String certno) {

        static PersonQueryMessage of(PersonQuery q) {
            return new PersonQueryMessage(q.insuredPlace().map(Admdvs::code).orElse(null), q.psnNo().orElse(null),
                    q.certno().orElse(null));
        }

        PersonQuery query() {
            return new PersonQuery(optional(insuredPlace).map(Admdvs::of), optional(psnNo), optional(certno));
        }
    }

    /** A person as the insured place knows them. */
    record PersonMessage(@JsonProperty("psn_no") String psnNo,
                         @JsonProperty("certno") String certno,
                         @JsonProperty("psn_name") String name,
                         @JsonProperty("gend") String gender,
                         @JsonProperty("brdy") String birthDate,
                         @JsonProperty("insutype") String insuranceType,
                         @JsonProperty("psn_type") String personType,
                         @JsonProperty("assistance") String assistance,
                         @JsonProperty("insuplc_admdvs") String insuredPlace,
                         @JsonProperty("emp_name") String employer) {

        static PersonMessage of(Person p) {
            return new PersonMessage(p.psnNo(), p.certno(), p.name(), p.gender(),
                    p.birthDate() == null ? "" : p.birthDate().toString(), p.insuranceType().code(),
                    p.personType().code(), p.assistance().code(), p.insuredPlace().code(), p.employer());
        }

        Person person() {
            return new Person(required(psnNo, "psn_no"), required(certno, "certno"), required(name, "psn_name"),
                    required(gender, "gend"), optional(birthDate).map(LocalDate::parse).orElse(null),
                    InsuranceType.ofCode(required(insuranceType, "insutype")),
                    PersonType.ofCode(required(personType, "psn_type")),
                    Assistance.ofCode(required(assistance, "assistance")),
                    Admdvs.of(required(insuredPlace, "insuplc_admdvs")), employer == null ? "" : employer);
        }
    }

    /** The answer to {@code PERSON_LOOKUP}. */
    record InsuredPersonMessage(@JsonProperty("found") boolean found,
                                @JsonProperty("person") PersonMessage person,
                                @JsonProperty("balc") Long balance) {

        static InsuredPersonMessage of(Optional<InsuredPerson> p) {
            return p.map(ip -> new InsuredPersonMessage(true, PersonMessage.of(ip.person()), ip.balance().fen()))
                    .orElse(new InsuredPersonMessage(false, null, null));
        }

        Optional<InsuredPerson> insuredPerson() {
            return found ? Optional.of(new InsuredPerson(required(person, "person").person(),
                    Money.ofFen(required(balance, "balc")))) : Optional.empty();
        }
    }

    // ---- coverage

    /** {@code COVERAGE}. */
    record CoverageQueryMessage(@JsonProperty("insuplc_admdvs") String insuredPlace,
                                @JsonProperty("psn_no") String psnNo,
                                @JsonProperty("mdtrtarea_admvs") String treatmentPlace,
                                @JsonProperty("admission_date") String admissionDate,
                                @JsonProperty("settlement_date") String settlementDate,
                                @JsonProperty("med_type") String medicalType,
                                @JsonProperty("record_emergency") boolean recordEmergency) {

        static CoverageQueryMessage of(CoverageQuery q) {
            return new CoverageQueryMessage(q.insuredPlace().code(), q.psnNo(), q.treatmentPlace().code(),
                    q.admissionDate().toString(), q.settlementDate().toString(), q.medicalType().code(),
                    q.recordEmergency());
        }

        CoverageQuery query() {
            return new CoverageQuery(Admdvs.of(required(insuredPlace, "insuplc_admdvs")), required(psnNo, "psn_no"),
                    Admdvs.of(required(treatmentPlace, "mdtrtarea_admvs")),
                    LocalDate.parse(required(admissionDate, "admission_date")),
                    LocalDate.parse(required(settlementDate, "settlement_date")),
                    MedicalType.ofCode(required(medicalType, "med_type")), recordEmergency);
        }
    }

    /** The answer to {@code COVERAGE}: the person, the filing, the year's accumulators and their version. */
    record CoverageMessage(@JsonProperty("person") PersonMessage person,
                           @JsonProperty("filing_id") String filingId,
                           @JsonProperty("category") String category,
                           @JsonProperty("year") int year,
                           @JsonProperty("version") long version,
                           @JsonProperty("accumulators") AccumulatorsJson.Value accumulators) {

        static CoverageMessage of(Coverage c) {
            return new CoverageMessage(PersonMessage.of(c.person()), c.filingId(), c.category().name(), c.year(),
                    c.version(), AccumulatorsJson.Value.of(c.accumulators()));
        }

        Coverage coverage() {
            return new Coverage(required(person, "person").person(), required(filingId, "filing_id"),
                    FilingCategory.valueOf(required(category, "category")), year, version,
                    required(accumulators, "accumulators").accumulators());
        }
    }

    // ---- apply

    /** A settlement's amounts in fen, named as in the national interface's settlement output. */
    record AmountsMessage(@JsonProperty("medfee_sumamt") long medfeeSumamt,
                          @JsonProperty("fulamt_ownpay_amt") long fulamtOwnpayAmt,
                          @JsonProperty("overlmt_selfpay") long overlmtSelfpay,
                          @JsonProperty("preselfpay_amt") long preselfpayAmt,
                          @JsonProperty("inscp_scp_amt") long inscpScpAmt,
                          @JsonProperty("act_pay_dedc") long actPayDedc,
                          @JsonProperty("hifp_pay") long hifpPay,
                          @JsonProperty("pool_prop_selfpay") BigDecimal poolPropSelfpay,
                          @JsonProperty("cvlserv_pay") long cvlservPay,
                          @JsonProperty("hifes_pay") long hifesPay,
                          @JsonProperty("hifmi_pay") long hifmiPay,
                          @JsonProperty("hifob_pay") long hifobPay,
                          @JsonProperty("maf_pay") long mafPay,
                          @JsonProperty("oth_pay") long othPay,
                          @JsonProperty("fund_pay_sumamt") long fundPaySumamt,
                          @JsonProperty("psn_part_amt") long psnPartAmt,
                          @JsonProperty("acct_pay") long acctPay,
                          @JsonProperty("psn_cash_pay") long psnCashPay,
                          @JsonProperty("balc") long balc) {

        static AmountsMessage of(SettlementAmounts a) {
            return new AmountsMessage(a.medfeeSumamt().fen(), a.fulamtOwnpayAmt().fen(), a.overlmtSelfpay().fen(),
                    a.preselfpayAmt().fen(), a.inscpScpAmt().fen(), a.actPayDedc().fen(), a.hifpPay().fen(),
                    a.poolPropSelfpay(), a.cvlservPay().fen(), a.hifesPay().fen(), a.hifmiPay().fen(),
                    a.hifobPay().fen(), a.mafPay().fen(), a.othPay().fen(), a.fundPaySumamt().fen(),
                    a.psnPartAmt().fen(), a.acctPay().fen(), a.psnCashPay().fen(), a.balc().fen());
        }

        SettlementAmounts amounts() {
            return new SettlementAmounts(Money.ofFen(medfeeSumamt), Money.ofFen(fulamtOwnpayAmt),
                    Money.ofFen(overlmtSelfpay), Money.ofFen(preselfpayAmt), Money.ofFen(inscpScpAmt),
                    Money.ofFen(actPayDedc), Money.ofFen(hifpPay), ratio(poolPropSelfpay, "pool_prop_selfpay"),
                    Money.ofFen(cvlservPay), Money.ofFen(hifesPay), Money.ofFen(hifmiPay), Money.ofFen(hifobPay),
                    Money.ofFen(mafPay), Money.ofFen(othPay), Money.ofFen(fundPaySumamt), Money.ofFen(psnPartAmt),
                    Money.ofFen(acctPay), Money.ofFen(psnCashPay), Money.ofFen(balc));
        }
    }

    /** {@code APPLY}: a settlement applied at the insured place, against the accumulators' version it was made on. */
    record ApplyMessage(@JsonProperty("insuplc_admdvs") String insuredPlace,
                        @JsonProperty("setl_id") String setlId,
                        @JsonProperty("psn_no") String psnNo,
                        @JsonProperty("mdtrt_id") String mdtrtId,
                        @JsonProperty("mdtrtarea_admvs") String treatmentPlace,
                        @JsonProperty("fixmedins_code") String fixmedinsCode,
                        @JsonProperty("med_type") String medicalType,
                        @JsonProperty("setl_time") String setlTime,
                        @JsonProperty("year") int year,
                        @JsonProperty("expected_version") long expectedVersion,
                        @JsonProperty("change") AccumulatorsJson.Value change,
                        @JsonProperty("amounts") AmountsMessage amounts,
                        @JsonProperty("filing_id") String filingId,
                        @JsonProperty("begndate") String admissionDate,
                        @JsonProperty("person") PersonMessage person) {

        static ApplyMessage of(ApplyRequest r) {
            return new ApplyMessage(r.insuredPlace().code(), r.setlId(), r.psnNo(), r.mdtrtId(),
                    r.treatmentPlace().code(), r.fixmedinsCode(), r.medicalType().code(), r.setlTime().toString(),
                    r.year(), r.expectedVersion(), AccumulatorsJson.Value.of(r.change()), AmountsMessage.of(r.amounts()),
                    r.filingId(), r.admissionDate().toString(), r.person() == null ? null : PersonMessage.of(r.person()));
        }

        ApplyRequest request() {
            return new ApplyRequest(Admdvs.of(required(insuredPlace, "insuplc_admdvs")), required(setlId, "setl_id"),
                    required(psnNo, "psn_no"), required(mdtrtId, "mdtrt_id"),
                    Admdvs.of(required(treatmentPlace, "mdtrtarea_admvs")),
                    required(fixmedinsCode, "fixmedins_code"), MedicalType.ofCode(required(medicalType, "med_type")),
                    LocalDateTime.parse(required(setlTime, "setl_time")), year, expectedVersion,
                    required(change, "change").accumulators(), required(amounts, "amounts").amounts(),
                    filingId == null || filingId.isEmpty() ? null : filingId,
                    LocalDate.parse(required(admissionDate, "begndate")), person == null ? null : person.person());
        }
    }

    /** The answer to {@code APPLY}. */
    record ApplyResultMessage(@JsonProperty("outcome") String outcome,
                              @JsonProperty("version") long version,
                              @JsonProperty("reason") String reason) {

        static ApplyResultMessage of(ApplyResult r) {
            return new ApplyResultMessage(r.outcome().name(), r.version(), r.reason());
        }

        ApplyResult result() {
            return new ApplyResult(ApplyResult.Outcome.valueOf(required(outcome, "outcome")), version,
                    reason == null ? "" : reason);
        }
    }

    /** {@code UNDO}: a settlement the insured place applied is taken back (its treatment node's reversal). */
    record UndoMessage(@JsonProperty("setl_id") String setlId, @JsonProperty("undo_id") String undoId) {
    }

    /** The answer to {@code UNDO}. */
    record UndoResultMessage(@JsonProperty("applied") boolean applied, @JsonProperty("balc") long balance) {

        static UndoResultMessage of(UndoResult r) {
            return new UndoResultMessage(r.applied(), r.balance().fen());
        }

        UndoResult result() {
            return new UndoResult(applied, Money.ofFen(balance));
        }
    }

    // ---- notices

    /** {@code CONFIRM}: the treatment node committed a settlement the insured place applied. */
    record ConfirmMessage(@JsonProperty("setl_id") String setlId) {
    }

    /** One notice of a {@code NOTICES} exchange. */
    record Notice(@JsonProperty("msg_id") String msgId, @JsonProperty("type") String type,
                  @JsonProperty("body") JsonNode body) {
    }

    /** {@code NOTICES}: a sender's notices in order, in one exchange. */
    record NoticesMessage(@JsonProperty("notices") List<Notice> notices) {
    }

    /** A notice the receiver did not take, and why. */
    record RefusedNotice(@JsonProperty("msg_id") String msgId, @JsonProperty("reason") String reason) {
    }

    /** The answer to {@code NOTICES}. */
    record NoticesAnswer(@JsonProperty("refused") List<RefusedNotice> refused,
                         @JsonProperty("received") int received,
                         @JsonProperty("repeated") int repeated) {
    }

    /** {@code INDEX}: keys of persons insured here (hashed), for the hub's person index. */
    record IndexMessage(@JsonProperty("keys") List<String> keys) {
    }
}
