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
