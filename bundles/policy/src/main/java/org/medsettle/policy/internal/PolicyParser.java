package org.medsettle.policy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.policy.AssistanceRule;
import org.medsettle.api.policy.Benefit;
import org.medsettle.api.policy.DeductibleMode;
import org.medsettle.api.policy.InsurancePolicy;
import org.medsettle.api.policy.Layer;
import org.medsettle.api.policy.LayerFund;
import org.medsettle.api.policy.MedicalAssistance;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.ReductionCategory;
import org.medsettle.api.policy.Segment;
import org.medsettle.api.policy.Tier;
import org.medsettle.api.policy.TreatmentDifferenceTopUp;

/**
 * Reads a province policy file (policy-format.md) strictly: unknown keys, ratios outside [0, 1], tiers or
 * segments not ascending, a missing hospital level, a cross-province reduction above the national maximum,
 * bad dates or amounts are all refused, each named by its JSON path, all at once.
 */
public final class PolicyParser {

    /** National maxima of the cross-province reduction (settlement-rules.md). */
    static final Map<ReductionCategory, BigDecimal> NATIONAL_MAXIMUM = Map.of(
            ReductionCategory.LONG_TERM, BigDecimal.ONE,
            ReductionCategory.REFERRAL, new BigDecimal("0.10"),
            ReductionCategory.EMERGENCY, new BigDecimal("0.10"),
            ReductionCategory.TEMPORARY, new BigDecimal("0.20"));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<String> problems = new ArrayList<>();

    private PolicyParser() {
    }

    /**
     * Parses and validates one policy file.
     *
     * @param source for messages: where the file came from
     * @throws PolicyValidationException naming every problem
     */
    public static Policy parse(InputStream json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PolicyValidationException(source, List.of("$: not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())));
        } catch (IOException e) {
            throw new PolicyValidationException(source, List.of("$: cannot be read: " + e.getMessage()));
        }
        PolicyParser parser = new PolicyParser();
        Policy policy = parser.policy(root);
        if (!parser.problems.isEmpty() || policy == null) {
            throw new PolicyValidationException(source, parser.problems.isEmpty() ? List.of("$: not a policy") : parser.problems);
        }
        return policy;
    }

    private Policy policy(JsonNode root) {
        if (!object(root, "$")) {
            return null;
        }
        keys(root, "$", Set.of("admdvs", "name", "version", "effectiveFrom", "crossProvince", "insuranceTypes", "medicalAssistance",
                        "treatmentDifferenceTopUp"),
                Set.of("admdvs", "name", "version", "effectiveFrom", "crossProvince", "insuranceTypes"));
        Admdvs admdvs = null;
        String code = text(root.get("admdvs"), "$.admdvs");
        if (code != null) {
            try {
                admdvs = Admdvs.of(code);
                if (!admdvs.isProvince()) {
                    problem("$.admdvs", "must be a province code such as 630000: '" + code + "'");
                }
            } catch (IllegalArgumentException e) {
                problem("$.admdvs", e.getMessage());
            }
        }
        String name = text(root.get("name"), "$.name");
        String version = text(root.get("version"), "$.version");
        LocalDate effectiveFrom = date(root.get("effectiveFrom"), "$.effectiveFrom");
        Map<ReductionCategory, BigDecimal> reduction = crossProvince(root.get("crossProvince"));
        Map<InsuranceType, InsurancePolicy> types = new EnumMap<>(InsuranceType.class);
        JsonNode typesNode = root.get("insuranceTypes");
        if (typesNode != null && object(typesNode, "$.insuranceTypes")) {
            if (typesNode.isEmpty()) {
                problem("$.insuranceTypes", "must name at least one insurance type (310, 390)");
            }
            fields(typesNode).forEach((key, node) -> {
                String path = "$.insuranceTypes." + key;
                InsuranceType type = parseCode(key, path, InsuranceType::ofCode);
                InsurancePolicy ip = insurancePolicy(node, path);
                if (type != null && ip != null) {
                    types.put(type, ip);
                }
            });
        }
        MedicalAssistance assistance = root.has("medicalAssistance")
                ? medicalAssistance(root.get("medicalAssistance"), "$.medicalAssistance") : MedicalAssistance.NONE;
        TreatmentDifferenceTopUp topUp = root.has("treatmentDifferenceTopUp")
                ? topUp(root.get("treatmentDifferenceTopUp"), "$.treatmentDifferenceTopUp", types) : null;
        if (!problems.isEmpty() || admdvs == null || name == null || version == null || effectiveFrom == null
                || reduction == null || assistance == null || (root.has("treatmentDifferenceTopUp") && topUp == null)) {
            return null;
        }
        return new Policy(admdvs, name, version, effectiveFrom, reduction, types, assistance, topUp);
    }

    private Map<ReductionCategory, BigDecimal> crossProvince(JsonNode node) {
        if (node == null || !object(node, "$.crossProvince")) {
            return null;
        }
        keys(node, "$.crossProvince", Set.of("ratioReduction"), Set.of("ratioReduction"));
        JsonNode reductions = node.get("ratioReduction");
        Map<ReductionCategory, BigDecimal> result = new EnumMap<>(ReductionCategory.class);
        if (reductions == null || !object(reductions, "$.crossProvince.ratioReduction")) {
            return result;
        }
        fields(reductions).forEach((key, value) -> {
            String path = "$.crossProvince.ratioReduction." + key;
            ReductionCategory category = parseCode(key, path, ReductionCategory::valueOf);
            BigDecimal ratio = ratio(value, path);
            if (category != null && ratio != null) {
                BigDecimal max = NATIONAL_MAXIMUM.get(category);
                if (ratio.compareTo(max) > 0) {
                    problem(path, "reduction " + ratio.toPlainString() + " is above the national maximum "
                            + max.toPlainString() + " for " + category);
                }
                result.put(category, ratio);
            }
        });
        return result;
    }

    private InsurancePolicy insurancePolicy(JsonNode node, String path) {
        if (!object(node, path)) {
            return null;
        }
        keys(node, path, Set.of("capPools", "benefits", "layers"), Set.of("capPools", "benefits"));
        Map<String, Money> capPools = new LinkedHashMap<>();
        JsonNode pools = node.get("capPools");
        if (pools != null && object(pools, path + ".capPools")) {
            fields(pools).forEach((pool, cap) -> {
                Money amount = amount(cap, path + ".capPools." + pool);
                if (amount != null) {
                    capPools.put(pool, amount);
                }
            });
        }
        Map<MedicalType, Benefit> benefits = new EnumMap<>(MedicalType.class);
        JsonNode benefitsNode = node.get("benefits");
        if (benefitsNode != null && object(benefitsNode, path + ".benefits")) {
            fields(benefitsNode).forEach((key, b) -> {
                String bPath = path + ".benefits." + key;
                MedicalType medType = parseCode(key, bPath, MedicalType::ofCode);
                Benefit benefit = benefit(b, bPath, capPools);
                if (medType != null && benefit != null) {
                    benefits.put(medType, benefit);
                }
            });
        }
        List<Layer> layers = new ArrayList<>();
        JsonNode layersNode = node.get("layers");
        if (layersNode != null) {
            if (!layersNode.isArray()) {
                problem(path + ".layers", "must be an array");
            } else {
                for (int i = 0; i < layersNode.size(); i++) {
                    Layer layer = layer(layersNode.get(i), path + ".layers[" + i + "]");
                    if (layer != null) {
                        layers.add(layer);
                    }
                }
            }
        }
        return new InsurancePolicy(capPools, benefits, layers);
    }

    private Benefit benefit(JsonNode node, String path, Map<String, Money> capPools) {
        if (!object(node, path)) {
            return null;
        }
        keys(node, path, Set.of("capPool", "deductibleMode", "deductible", "repeatAdmissionFactor", "tiers"),
                Set.of("capPool", "deductibleMode", "deductible", "tiers"));
        String pool = text(node.get("capPool"), path + ".capPool");
        if (pool != null && !capPools.containsKey(pool)) {
            problem(path + ".capPool", "'" + pool + "' is not one of the capPools " + capPools.keySet());
        }
        DeductibleMode mode = null;
        String modeText = text(node.get("deductibleMode"), path + ".deductibleMode");
        if ("perAdmission".equals(modeText)) {
            mode = DeductibleMode.PER_ADMISSION;
        } else if ("annual".equals(modeText)) {
            mode = DeductibleMode.ANNUAL;
        } else if (modeText != null) {
            problem(path + ".deductibleMode", "must be perAdmission or annual: '" + modeText + "'");
        }
        Map<Integer, Money> deductible = new LinkedHashMap<>();
        JsonNode deductibleNode = node.get("deductible");
        if (deductibleNode != null && object(deductibleNode, path + ".deductible")) {
            keys(deductibleNode, path + ".deductible", Set.of("1", "2", "3"), Set.of("1", "2", "3"));
            for (String level : List.of("1", "2", "3")) {
                if (deductibleNode.has(level)) {
                    Money amount = amount(deductibleNode.get(level), path + ".deductible." + level);
                    if (amount != null) {
                        deductible.put(Integer.parseInt(level), amount);
                    }
                }
            }
        }
        BigDecimal factor = BigDecimal.ONE;
        if (node.has("repeatAdmissionFactor")) {
            factor = ratio(node.get("repeatAdmissionFactor"), path + ".repeatAdmissionFactor");
        }
        List<Tier> tiers = new ArrayList<>();
        JsonNode tiersNode = node.get("tiers");
        if (tiersNode != null) {
            ascending(tiersNode, path + ".tiers", (tier, tierPath, upTo) -> {
                keys(tier, tierPath, Set.of("upTo", "inService", "retired"), Set.of("upTo", "inService", "retired"));
                BigDecimal inService = ratio(tier.get("inService"), tierPath + ".inService");
                BigDecimal retired = ratio(tier.get("retired"), tierPath + ".retired");
                if (inService != null && retired != null) {
                    tiers.add(new Tier(upTo, inService, retired));
                }
            });
        }
        if (pool == null || mode == null || deductible.size() != 3 || factor == null || tiers.isEmpty()) {
            return null;
        }
        return new Benefit(pool, mode, deductible, factor, tiers);
    }

    private Layer layer(JsonNode node, String path) {
        if (!object(node, path)) {
            return null;
        }
        keys(node, path, Set.of("fund", "appliesTo", "medTypes", "threshold", "annualCap", "segments"),
                Set.of("fund", "appliesTo", "medTypes", "threshold", "annualCap", "segments"));
        LayerFund fund = null;
        String fundText = text(node.get("fund"), path + ".fund");
        if (fundText != null) {
            fund = parseCode(fundText, path + ".fund", LayerFund::ofKey);
        }
        Set<InsuranceType> appliesTo = codes(node.get("appliesTo"), path + ".appliesTo", InsuranceType::ofCode);
        Set<MedicalType> medTypes = codes(node.get("medTypes"), path + ".medTypes", MedicalType::ofCode);
        Money threshold = amount(node.get("threshold"), path + ".threshold");
        Money annualCap = amount(node.get("annualCap"), path + ".annualCap");
        List<Segment> segments = new ArrayList<>();
        JsonNode segmentsNode = node.get("segments");
        if (segmentsNode != null) {
            ascending(segmentsNode, path + ".segments", (segment, segmentPath, upTo) -> {
                keys(segment, segmentPath, Set.of("upTo", "ratio"), Set.of("upTo", "ratio"));
                BigDecimal ratio = ratio(segment.get("ratio"), segmentPath + ".ratio");
                if (ratio != null) {
                    segments.add(new Segment(upTo, ratio));
                }
            });
        }
        if (fund == null || appliesTo == null || medTypes == null || threshold == null || annualCap == null || segments.isEmpty()) {
            return null;
        }
        return new Layer(fund, appliesTo, medTypes, threshold, annualCap, segments);
    }

    /**
     * The top-up of the treatment difference (待遇补差): a share of the difference in (0, 1], a cap above zero, and the
     * medical types it applies to (optional), each one the policy pays for.
     */
    private TreatmentDifferenceTopUp topUp(JsonNode node, String path, Map<InsuranceType, InsurancePolicy> types) {
        if (!object(node, path)) {
            return null;
        }
        keys(node, path, Set.of("ratio", "maxPerSettlement", "medTypes"), Set.of("ratio", "maxPerSettlement"));
        BigDecimal ratio = ratio(node.get("ratio"), path + ".ratio");
        if (ratio != null && ratio.signum() == 0) {
            problem(path + ".ratio", "a top-up of 0 pays nothing: leave the option out instead");
            ratio = null;
        }
        Money max = amount(node.get("maxPerSettlement"), path + ".maxPerSettlement");
        if (max != null && max.isZero()) {
            problem(path + ".maxPerSettlement", "must be above 0 (a top-up of at most 0 pays nothing)");
            max = null;
        }
        Set<MedicalType> medTypes = node.has("medTypes")
                ? codes(node.get("medTypes"), path + ".medTypes", MedicalType::ofCode) : Set.of();
        if (medTypes != null && node.has("medTypes") && medTypes.isEmpty() && node.get("medTypes").isArray()
                && node.get("medTypes").isEmpty()) {
            problem(path + ".medTypes", "names at least one medical type (or leave it out: every type)");
            medTypes = null;
        }
        if (medTypes != null) {
            for (MedicalType t : medTypes) {
                boolean paid = types.values().stream().anyMatch(ip -> ip.benefitFor(t).isPresent());
                if (!paid && !types.isEmpty()) {
                    problem(path + ".medTypes", "medical type " + t.code() + " has no benefit in this policy: a top-up "
                            + "cannot apply to it");
                    medTypes = null;
                    break;
                }
            }
        }
        return ratio == null || max == null || medTypes == null ? null
                : new TreatmentDifferenceTopUp(ratio, max, medTypes);
    }

    private MedicalAssistance medicalAssistance(JsonNode node, String path) {
        if (!object(node, path)) {
            return null;
        }
        keys(node, path, Set.of("medTypes", "categories"), Set.of("medTypes", "categories"));
        Set<MedicalType> medTypes = codes(node.get("medTypes"), path + ".medTypes", MedicalType::ofCode);
        Map<Assistance, AssistanceRule> categories = new EnumMap<>(Assistance.class);
        JsonNode categoriesNode = node.get("categories");
        if (categoriesNode != null && object(categoriesNode, path + ".categories")) {
            fields(categoriesNode).forEach((key, rule) -> {
                String rulePath = path + ".categories." + key;
                Assistance category = parseCode(key, rulePath, Assistance::ofCode);
                if (category == Assistance.NONE) {
                    problem(rulePath, "category must be A or B");
                    return;
                }
                if (!object(rule, rulePath)) {
                    return;
                }
                keys(rule, rulePath, Set.of("ratio", "annualCap"), Set.of("ratio", "annualCap"));
                BigDecimal ratio = ratio(rule.get("ratio"), rulePath + ".ratio");
                Money cap = amount(rule.get("annualCap"), rulePath + ".annualCap");
                if (category != null && ratio != null && cap != null) {
                    categories.put(category, new AssistanceRule(ratio, cap));
                }
            });
        }
        return medTypes == null ? null : new MedicalAssistance(medTypes, categories);
    }

    @FunctionalInterface
    private interface Step {
        void accept(JsonNode element, String path, Optional<Money> upTo);
    }

    /** Tiers and segments: a non-empty array, {@code upTo} strictly ascending, only the last without end. */
    private void ascending(JsonNode array, String path, Step step) {
        if (!array.isArray() || array.isEmpty()) {
            problem(path, "must be a non-empty array");
            return;
        }
        Money previous = null;
        for (int i = 0; i < array.size(); i++) {
            String elementPath = path + "[" + i + "]";
            JsonNode element = array.get(i);
            if (!object(element, elementPath)) {
                continue;
            }
            JsonNode upToNode = element.get("upTo");
            Optional<Money> upTo = Optional.empty();
            boolean last = i == array.size() - 1;
            if (upToNode == null || upToNode.isNull()) {
                if (!last) {
                    problem(elementPath + ".upTo", "only the last may be without end (null)");
                }
            } else {
                Money value = amount(upToNode, elementPath + ".upTo");
                if (value != null) {
                    if (last) {
                        problem(elementPath + ".upTo", "the last must be without end (null)");
                    }
                    if (previous != null && value.compareTo(previous) <= 0) {
                        problem(elementPath + ".upTo", "must be above the previous upTo " + previous + ": " + value);
                    }
                    if (!value.isPositive()) {
                        problem(elementPath + ".upTo", "must be above 0: " + value);
                    }
                    previous = value;
                    upTo = Optional.of(value);
                }
            }
            step.accept(element, elementPath, upTo);
        }
    }

    private <T> Set<T> codes(JsonNode node, String path, Function<String, T> parse) {
        if (node == null) {
            problem(path, "is required");
            return null;
        }
        if (!node.isArray()) {
            problem(path, "must be an array of codes");
            return null;
        }
        Set<T> result = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String code = text(node.get(i), path + "[" + i + "]");
            if (code != null) {
                T value = parseCode(code, path + "[" + i + "]", parse);
                if (value != null) {
                    result.add(value);
                }
            }
        }
        return result;
    }

    private <T> T parseCode(String code, String path, Function<String, T> parse) {
        try {
            return parse.apply(code);
        } catch (IllegalArgumentException e) {
            problem(path, "unknown code '" + code + "'" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            return null;
        }
    }

    private boolean object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            problem(path, "must be an object");
            return false;
        }
        return true;
    }

    private void keys(JsonNode node, String path, Set<String> allowed, Set<String> required) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problem(path + "." + name, "unknown key (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        for (String name : required.stream().sorted().toList()) {
            if (!node.has(name)) {
                problem(path + "." + name, "is required");
            }
        }
    }

    private String text(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problem(path, "must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    private LocalDate date(JsonNode node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problem(path, "must be a date yyyy-MM-dd: '" + text + "'");
            return null;
        }
    }

    /** The most decimals a policy's ratio may have (the reference policies' have at most 2). */
    static final int MAX_RATIO_DECIMALS = 6;

    private BigDecimal ratio(JsonNode node, String path) {
        if (node == null || !node.isNumber()) {
            problem(path, "must be a number in [0, 1]");
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            problem(path, "ratio must be in [0, 1]: " + org.medsettle.api.Decimals.shown(value));
            return null;
        }
        // a ratio finer than a millionth is no province's (and 1e-999999999 would cost the engine its rounding)
        if (value.stripTrailingZeros().scale() > MAX_RATIO_DECIMALS) {
            problem(path, "a ratio has at most " + MAX_RATIO_DECIMALS + " decimals: "
                    + org.medsettle.api.Decimals.shown(value));
            return null;
        }
        return value;
    }

    private Money amount(JsonNode node, String path) {
        if (node == null || !node.isNumber()) {
            problem(path, "must be an amount in yuan");
            return null;
        }
        try {
            Money amount = Money.ofYuan(node.decimalValue());
            if (amount.isNegative()) {
                problem(path, "must not be negative: " + amount);
                return null;
            }
            return amount;
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private void problem(String path, String message) {
        problems.add(path + ": " + message);
    }
}
