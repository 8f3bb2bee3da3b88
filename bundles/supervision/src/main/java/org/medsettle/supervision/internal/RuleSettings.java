package org.medsettle.supervision.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.medsettle.api.supervision.Supervision.Mode;
import org.medsettle.api.supervision.Supervision.Rule;

/**
 * The rules' settings ({@code etc/org.medsettle.supervision.cfg}): each rule's mode ({@code <rule> = flag | block |
 * off}, default flag) and the rules' thresholds. A value that cannot be read keeps its default and is named in
 * {@link #problems()} (logged, and shown by {@code medsettle:supervision-rules} and {@code medsettle:health}).
 *
 * @param idleDays             idle-stay: this many consecutive days of a stay without a fee are flagged (default 3)
 * @param perDayByKind         implausible-quantity: units of one item a day of the visit, by catalogue kind
 *                             ({@code quantityPerDay.drug} 100, {@code .service} 30, {@code .material} 30)
 * @param bedFeePerDay         implausible-quantity: units a day of an item whose catalogue name starts with 床位费
 *                             (bed fee), default 1
 * @param perDayByCode         implausible-quantity: units a day for particular codes ({@code quantityLimits =
 *                             code:units, code:units}), before the above
 * @param identityWindowDays   identity-check-failed: a failed check counts for the visits admitted up to this many
 *                             days after it (default 30)
 */
record RuleSettings(Map<Rule, Mode> modes, int idleDays, Map<String, BigDecimal> perDayByKind,
                    BigDecimal bedFeePerDay, Map<String, BigDecimal> perDayByCode, int identityWindowDays,
                    List<String> problems) {

    static final RuleSettings DEFAULT = of(Map.of());

    RuleSettings {
        modes = Map.copyOf(modes);
        perDayByKind = Map.copyOf(perDayByKind);
        perDayByCode = Map.copyOf(perDayByCode);
        problems = List.copyOf(problems);
    }

    Mode mode(Rule rule) {
        return modes.getOrDefault(rule, Mode.FLAG);
    }

    static RuleSettings of(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        Map<Rule, Mode> modes = new EnumMap<>(Rule.class);
        for (Rule r : Rule.values()) {
            Object v = properties.get(r.key());
            Mode mode = Mode.FLAG;
            if (v != null) {
                try {
                    mode = Mode.valueOf(v.toString().strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add(r.key() + " = '" + v + "' is not flag, block or off: flag");
                }
            }
            modes.put(r, mode);
        }
        int idle = whole(properties, "idleDays", 3, 1, 365, problems);
        Map<String, BigDecimal> byKind = new LinkedHashMap<>();
        byKind.put("drug", units(properties, "quantityPerDay.drug", "100", problems));
        byKind.put("service", units(properties, "quantityPerDay.service", "30", problems));
        byKind.put("material", units(properties, "quantityPerDay.material", "30", problems));
        BigDecimal bed = units(properties, "bedFeePerDay", "1", problems);
        Map<String, BigDecimal> byCode = new LinkedHashMap<>();
        Object limits = properties.get("quantityLimits");
        if (limits != null && !limits.toString().isBlank()) {
            for (String pair : limits.toString().split(",")) {
                String[] kv = pair.strip().split(":");
                try {
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw new NumberFormatException();
                    }
                    BigDecimal n = new BigDecimal(kv[1].strip());
                    if (n.signum() <= 0) {
                        throw new NumberFormatException();
                    }
                    byCode.put(kv[0].strip(), n);
                } catch (NumberFormatException e) {
                    problems.add("quantityLimits: '" + pair.strip() + "' is not code:units (units > 0): ignored");
                }
            }
        }
        int window = whole(properties, "identityWindowDays", 30, 1, 366, problems);
        return new RuleSettings(modes, idle, byKind, bed, byCode, window, problems);
    }

    private static int whole(Map<String, ?> properties, String key, int fallback, int min, int max,
                             List<String> problems) {
        Object v = properties.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.toString().strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + " = '" + v + "' is not a whole number from " + min + " to " + max + ": " + fallback);
            return fallback;
        }
    }

    private static BigDecimal units(Map<String, ?> properties, String key, String fallback, List<String> problems) {
        Object v = properties.get(key);
        if (v == null) {
            return new BigDecimal(fallback);
        }
        try {
            BigDecimal n = new BigDecimal(v.toString().strip());
            if (n.signum() <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + " = '" + v + "' is not a number of units above 0: " + fallback);
            return new BigDecimal(fallback);
        }
    }

    /** What a rule's settings are, for the console. */
    String describe(Rule rule) {
        return switch (rule) {
            case OVERLAPPING_STAY, REPEATED_FEE_ITEM -> "";
            case IDLE_STAY -> "idleDays=" + idleDays;
            case IMPLAUSIBLE_QUANTITY -> "quantityPerDay.drug=" + perDayByKind.get("drug").toPlainString()
                    + ", quantityPerDay.service=" + perDayByKind.get("service").toPlainString()
                    + ", quantityPerDay.material=" + perDayByKind.get("material").toPlainString()
                    + ", bedFeePerDay=" + bedFeePerDay.toPlainString()
                    + (perDayByCode.isEmpty() ? "" : ", quantityLimits=" + String.join(",", perDayByCode.entrySet()
                    .stream().map(e -> e.getKey() + ":" + e.getValue().toPlainString()).toList()));
            case IDENTITY_CHECK_FAILED -> "identityWindowDays=" + identityWindowDays;
        };
    }
}
