package org.medsettle.filingapi.internal;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import org.medsettle.api.filing.FilingChange;
import org.medsettle.api.filing.FilingDetails;
import org.medsettle.api.model.Filing;

/**
 * The filing API's bodies as Jackson databind maps them (README "The filing API"): field names as the national
 * interface spells them. Requests are strict — an unknown field, a number where text belongs, a second JSON value
 * are refused naming the field — and validated against the real world in {@link FilingApiRoutes}.
 */
final class FilingJson {

    private FilingJson() {
    }

    /** The one mapper of the API: strict on input, every field present on output (null when empty). */
    static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
        // text is text: 123 or true where a string belongs is refused, not turned into "123"
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** {@code POST /medsettle/api/filings}. */
    record FilingInput(@JsonProperty("psn_no") String psnNo,
                       @JsonProperty("category") String category,
                       @JsonProperty("mdtrtarea_admvs") String treatmentPlace,
                       @JsonProperty("valid_from") String validFrom,
                       @JsonProperty("valid_to") String validTo,
                       @JsonProperty("evidence") String evidence,
                       @JsonProperty("receiving_hospital") String receivingHospital,
                       @JsonProperty("reason") String reason,
                       @JsonProperty("operator") String operator) {
    }

    /** {@code POST /medsettle/api/filings/{id}/cancel}. */
    record CancelInput(@JsonProperty("reason") String reason,
                       @JsonProperty("moved_back") Boolean movedBack,
                       @JsonProperty("operator") String operator) {
    }

    /** A filing as the API answers it. */
    record FilingOutput(@JsonProperty("filing_id") String filingId,
                        @JsonProperty("psn_no") String psnNo,
                        @JsonProperty("category") String category,
                        @JsonProperty("mdtrtarea_admvs") String treatmentPlace,
                        @JsonProperty("valid_from") String validFrom,
                        @JsonProperty("valid_to") String validTo,
                        @JsonProperty("state") String state) {

        static FilingOutput of(Filing f, LocalDate today) {
            return new FilingOutput(f.filingId(), f.psnNo(), f.category().name(), f.treatmentPlace().code(),
                    f.validFrom().toString(), f.validTo().map(LocalDate::toString).orElse(null),
                    f.stateOn(today).name());
        }
    }

    /** {@code POST /medsettle/api/assisted-audits}: an assisted audit (费用协查) opened by the agency. */
    record AssistedAuditInput(@JsonProperty("setl_id") String setlId,
                              @JsonProperty("question") String question,
                              @JsonProperty("days") Integer days,
                              @JsonProperty("operator") String operator) {
    }

    /** A fee line of the bill an answer carries. */
    record BillLineOutput(@JsonProperty("feedetl_sn") String feedetlSn,
                          @JsonProperty("med_list_codg") String medListCodg,
                          @JsonProperty("medins_list_codg") String medinsListCodg,
                          @JsonProperty("fee_ocur_time") String feeOcurTime,
                          @JsonProperty("pric") String pric,
                          @JsonProperty("cnt") String cnt,
                          @JsonProperty("det_item_fee_sumamt") String detItemFeeSumamt,
                          @JsonProperty("chrgitm_lv") String chrgitmLv) {

        static BillLineOutput of(org.medsettle.api.supervision.AssistedAudits.BillLine l) {
            return new BillLineOutput(l.feedetlSn(), l.medListCodg(), l.medinsListCodg(),
                    l.feeOcurTime().toString().replace('T', ' '), l.pric().toPlainString(), l.cnt().toPlainString(),
                    l.detItemFeeSumamt().toPlainString(), l.chrgitmLv());
        }
    }

    /** An assisted audit as the API answers it. */
    record AssistedAuditOutput(@JsonProperty("case_id") String caseId,
                               @JsonProperty("setl_id") String setlId,
                               @JsonProperty("mdtrt_id") String mdtrtId,
                               @JsonProperty("insuplc_admdvs") String insured,
                               @JsonProperty("mdtrtarea_admvs") String treatment,
                               @JsonProperty("fixmedins_code") String hospital,
                               @JsonProperty("medfee_sumamt") String medfeeSumamt,
                               @JsonProperty("question") String question,
                               @JsonProperty("opened_at") String openedAt,
                               @JsonProperty("opened_by") String openedBy,
                               @JsonProperty("deadline") String deadline,
                               @JsonProperty("state") String state,
                               @JsonProperty("overdue") boolean overdue,
                               @JsonProperty("answered_at") String answeredAt,
                               @JsonProperty("answered_by") String answeredBy,
                               @JsonProperty("comment") String comment,
                               @JsonProperty("bill") List<BillLineOutput> bill,
                               @JsonProperty("bill_lines") int billLines,
                               @JsonProperty("bill_note") String billNote) {

        static AssistedAuditOutput of(org.medsettle.api.supervision.AssistedAudits.Case k, LocalDate today) {
            return new AssistedAuditOutput(k.caseId(), k.setlId(), k.mdtrtId(), k.insured(), k.treatment(),
                    k.hospital(), org.medsettle.api.Money.ofFen(k.medfeeFen()).toYuan().toPlainString(), k.question(),
                    k.openedAt().toString(), k.openedBy(), k.deadline().toString(), k.state().name(), k.overdue(today),
                    k.answeredAt() == null ? null : k.answeredAt().toString(), k.answeredBy(), k.comment(),
                    k.bill().stream().map(BillLineOutput::of).toList(), k.billLines(), k.billNote());
        }
    }

    /** {@code GET /medsettle/api/assisted-audits}. */
    record AssistedAuditList(@JsonProperty("cases") List<AssistedAuditOutput> cases) {
    }

    /** {@code GET /medsettle/api/filings?psn_no=…}. */
    record FilingList(@JsonProperty("filings") List<FilingOutput> filings) {
    }

    /** One change in a filing's history. */
    record ChangeOutput(@JsonProperty("at") String at,
                        @JsonProperty("action") String action,
                        @JsonProperty("operator") String operator,
                        @JsonProperty("channel") String channel,
                        @JsonProperty("reason") String reason,
                        @JsonProperty("state_after") String stateAfter) {

        static ChangeOutput of(FilingChange c) {
            return new ChangeOutput(c.at().toString(), c.action(), c.operator(), c.channel().name(), c.reason(),
                    c.stateAfter().name());
        }
    }

    /** {@code GET /medsettle/api/filings/{id}}: the filing's fields, then its evidence and history. */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"filing_id", "psn_no", "category", "mdtrtarea_admvs",
            "valid_from", "valid_to", "state", "evidence", "receiving_hospital", "superseded_by", "history"})
    record DetailsOutput(@JsonProperty("filing_id") String filingId,
                         @JsonProperty("psn_no") String psnNo,
                         @JsonProperty("category") String category,
                         @JsonProperty("mdtrtarea_admvs") String treatmentPlace,
                         @JsonProperty("valid_from") String validFrom,
                         @JsonProperty("valid_to") String validTo,
                         @JsonProperty("state") String state,
                         @JsonProperty("evidence") String evidence,
                         @JsonProperty("receiving_hospital") String receivingHospital,
                         @JsonProperty("superseded_by") String supersededBy,
                         @JsonProperty("history") List<ChangeOutput> history) {

        static DetailsOutput of(FilingDetails d, LocalDate today) {
            FilingOutput f = FilingOutput.of(d.filing(), today);
            return new DetailsOutput(f.filingId(), f.psnNo(), f.category(), f.treatmentPlace(), f.validFrom(),
                    f.validTo(), f.state(), d.evidence(), d.receivingHospital(), d.supersededBy().orElse(null),
                    d.history().stream().map(ChangeOutput::of).toList());
        }
    }

    /** Every refusal: what is wrong, and which field ("" when it is not one field). */
    record ErrorOutput(@JsonProperty("error") String error, @JsonProperty("field") String field) {
    }
}
