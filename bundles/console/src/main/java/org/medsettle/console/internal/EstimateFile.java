package org.medsettle.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.medsettle.api.Admdvs;
import org.medsettle.api.LocalTimes;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.PoolAccumulator;

/**
 * The what-if file of {@code medsettle:estimate}: a person profile and a visit, in the national interface's
 * words. Example:
 * <pre>
 * {"insuplc_admdvs": "630000", "insutype": "310", "psn_type": "retired", "assistance": "",
 *  "filing_category": "REFERRAL", "med_type": "21", "hosp_lv": "3", "setl_date": "2026-06-20",
 *  "acct_used_flag": "1", "balc": "5000.00",
 *  "accumulators": {"inpatient_admissions": 1, "pools": {"inpatient": {"inscp": "18000.00", "hifp_paid": "14000.00"}}},
 *  "feedetail": [{"feedetl_sn": "0001", "med_list_codg": "...", "fee_ocur_time": "2026-06-10 09:00:00",
 *                 "pric": "12.30", "cnt": "2", "det_item_fee_sumamt": "24.60"}]}
 * </pre>
 */
record EstimateFile(Admdvs insuredPlace, InsuranceType insuranceType, boolean retired, Assistance assistance,
                    FilingCategory filingCategory, MedicalType medicalType, int hospitalLevel, LocalDate settlementDate,
                    boolean accountUsed, List<FeeLine> items, Accumulators accumulators) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static EstimateFile read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("$: the file must hold one JSON object");
        }
        String psnType = text(root, "psn_type");
        InsuranceType type = parse(() -> InsuranceType.ofCode(text(root, "insutype")), "insutype");
        if (!List.of("in_service", "retired", "resident").contains(psnType)) {
            throw new IllegalArgumentException("psn_type: must be in_service, retired or resident: '" + psnType + "'");
        }
        String assistance = root.hasNonNull("assistance") ? root.get("assistance").asText() : "";
        String category = text(root, "filing_category");
        Money balance = root.hasNonNull("balc") ? parse(() -> Money.ofYuan(root.get("balc").asText()), "balc") : Money.ZERO;
        List<FeeLine> items = new ArrayList<>();
        JsonNode lines = root.get("feedetail");
        if (lines == null || !lines.isArray()) {
            throw new IllegalArgumentException("feedetail: must be an array of fee lines");
        }
        for (int i = 0; i < lines.size(); i++) {
            JsonNode l = lines.get(i);
            String at = "feedetail[" + i + "].";
            items.add(new FeeLine(text(l, at, "feedetl_sn"), text(l, at, "med_list_codg"),
                    parse(() -> time(text(l, at, "fee_ocur_time")), at + "fee_ocur_time"),
                    parse(() -> new BigDecimal(text(l, at, "pric")), at + "pric"),
                    parse(() -> new BigDecimal(text(l, at, "cnt")), at + "cnt"),
                    parse(() -> Money.ofYuan(text(l, at, "det_item_fee_sumamt")), at + "det_item_fee_sumamt")));
        }
        return new EstimateFile(parse(() -> Admdvs.of(text(root, "insuplc_admdvs")), "insuplc_admdvs"), type,
                "retired".equals(psnType), parse(() -> Assistance.ofCode(assistance), "assistance"),
                parse(() -> "LONG_TERM".equals(category) ? FilingCategory.LONG_TERM_RESIDENT : FilingCategory.valueOf(category), "filing_category"),
                parse(() -> MedicalType.ofCode(text(root, "med_type")), "med_type"),
                parse(() -> Integer.parseInt(text(root, "hosp_lv")), "hosp_lv"),
                parse(() -> LocalDate.parse(text(root, "setl_date")), "setl_date"),
                "1".equals(root.hasNonNull("acct_used_flag") ? root.get("acct_used_flag").asText() : "0"),
                items, accumulators(root.get("accumulators"), balance));
    }

    private static Accumulators accumulators(JsonNode node, Money balance) {
        if (node == null || node.isNull()) {
            return Accumulators.opening(balance);
        }
        Map<String, PoolAccumulator> pools = new java.util.TreeMap<>();
        JsonNode poolsNode = node.get("pools");
        if (poolsNode != null) {
            poolsNode.fields().forEachRemaining(e -> {
                String at = "accumulators.pools." + e.getKey() + ".";
                pools.put(e.getKey(), new PoolAccumulator(amount(e.getValue(), at, "inscp"), amount(e.getValue(), at, "hifp_paid"),
                        amount(e.getValue(), at, "annual_dedc_paid")));
            });
        }
        int admissions = node.hasNonNull("inpatient_admissions") ? node.get("inpatient_admissions").asInt() : 0;
        return new Accumulators(pools, admissions, Map.of(), Money.ZERO, balance);
    }

    private static Money amount(JsonNode node, String at, String field) {
        return node.hasNonNull(field) ? parse(() -> Money.ofYuan(node.get(field).asText()), at + field) : Money.ZERO;
    }

    /**
     * A time {@code yyyy-MM-dd HH:mm:ss} that exists, read as the HIS interface reads it ({@link LocalTimes}; a
     * {@code DateTimeFormatter} of that pattern made 30 February the 28th without a word).
     */
    private static LocalDateTime time(String s) {
        try {
            if (s.length() == LocalTimes.LENGTH) {
                return LocalTimes.parse(s, 0, ' ');
            }
        } catch (DateTimeException e) {
            // said below, with the value
        }
        throw new IllegalArgumentException("must be a time yyyy-MM-dd HH:mm:ss that exists: '" + s + "'");
    }

    private static String text(JsonNode node, String field) {
        return text(node, "", field);
    }

    private static String text(JsonNode node, String at, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new IllegalArgumentException(at + field + ": is required");
        }
        return value.asText().strip();
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> parse, String field) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message != null && message.startsWith(field) ? message : field + ": " + message);
        }
    }
}
