package org.medsettle.treatment.internal.his;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;

/**
 * One object of a request, read field by field; every problem is a {@link HisRefusal} naming the field by its
 * path, e.g. {@code input.feedetail[3].cnt: must be > 0}. Values may come as JSON strings or numbers.
 */
final class Input {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern AMOUNT = Pattern.compile("-?\\d{1,14}(\\.\\d{1,2})?");
    /** An amount of the right form but more digits before the point than a store keeps (DECIMAL(16,2)). */
    private static final Pattern TOO_LARGE = Pattern.compile("-?\\d{15,}(\\.\\d{1,2})?");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,14}(\\.\\d{1,6})?");

    private final JsonNode node;
    private final String path;

    Input(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    JsonNode node() {
        return node;
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    Input object(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw HisRefusal.field(at(name), "required");
        }
        if (!v.isObject()) {
            throw HisRefusal.field(at(name), "must be an object");
        }
        return new Input(v, at(name));
    }

    /** The objects of an array field; {@code max} bounds the number of elements. */
    List<Input> array(String name, int max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw HisRefusal.field(at(name), "required");
        }
        if (!v.isArray()) {
            throw HisRefusal.field(at(name), "must be an array");
        }
        if (v.isEmpty()) {
            throw HisRefusal.field(at(name), "must not be empty");
        }
        if (v.size() > max) {
            throw HisRefusal.field(at(name), "at most " + max + " elements, found " + v.size());
        }
        List<Input> list = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isObject()) {
                throw HisRefusal.field(at(name) + "[" + i + "]", "must be an object");
            }
            list.add(new Input(e, at(name) + "[" + i + "]"));
        }
        return list;
    }

    Optional<String> optText(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode() || v.isBoolean()) {
            throw HisRefusal.field(at(name), "must be a string");
        }
        String s = v.asText().strip();
        if (s.length() > 200) {
            throw HisRefusal.field(at(name), "at most 200 characters");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    String text(String name) {
        return optText(name).orElseThrow(() -> HisRefusal.field(at(name), "required"));
    }

    String text(String name, Pattern format, String described) {
        String s = text(name);
        if (!format.matcher(s).matches()) {
            throw HisRefusal.field(at(name), "must be " + described + ": '" + s + "'");
        }
        return s;
    }

    String oneOf(String name, String... values) {
        String s = text(name);
        for (String v : values) {
            if (v.equals(s)) {
                return s;
            }
        }
        throw HisRefusal.field(at(name), "must be one of " + String.join(", ", values) + ": '" + s + "'");
    }

    /** An optional code: absent or empty, or one of {@code values}. */
    Optional<String> optOneOf(String name, String... values) {
        return optText(name).map(s -> oneOf(name, values));
    }

    /**
     * The kind of the credential the patient presented ({@code mdtrt_cert_type}: 01 the electronic certificate, 02 the
     * ID card, 03 the social security card), when the request gives it.
     */
    Optional<String> certificateType() {
        return optOneOf("mdtrt_cert_type", "01", "02", "03");
    }

    Admdvs admdvs(String name) {
        String s = text(name);
        try {
            return Admdvs.of(s);
        } catch (IllegalArgumentException e) {
            throw HisRefusal.field(at(name), "must be a 6-digit division code: '" + s + "'");
        }
    }

    Optional<Admdvs> optAdmdvs(String name) {
        return optText(name).isPresent() ? Optional.of(admdvs(name)) : Optional.empty();
    }

    /**
     * A division code in a provincial-level division of the mainland ({@link Admdvs#inRealProvince()}): where a
     * patient is insured or treated. {@code 990000} is six digits, but no province's: no hub would route it.
     */
    Admdvs provinceAdmdvs(String name) {
        Admdvs code = admdvs(name);
        if (!code.inRealProvince()) {
            throw HisRefusal.field(at(name), code + " is not in a province (its first two digits name no "
                    + "provincial-level division, GB/T 2260)");
        }
        return code;
    }

    Optional<Admdvs> optProvinceAdmdvs(String name) {
        return optText(name).isPresent() ? Optional.of(provinceAdmdvs(name)) : Optional.empty();
    }

    /** An amount in yuan with at most 2 decimals. */
    Money money(String name) {
        String s = number(name);
        if (!AMOUNT.matcher(s).matches()) {
            throw HisRefusal.field(at(name), (TOO_LARGE.matcher(s).matches()
                    ? "at most 99999999999999.99 yuan (14 digits before the point): '"
                    : "must be an amount in yuan with at most 2 decimals: '") + s + "'");
        }
        return Money.ofYuan(new BigDecimal(s));
    }

    /** A price or quantity: at most 6 decimals. */
    BigDecimal decimal(String name) {
        String s = number(name);
        if (!DECIMAL.matcher(s).matches()) {
            throw HisRefusal.field(at(name), "must be a number with at most 6 decimals: '" + s + "'");
        }
        return new BigDecimal(s);
    }

    private String number(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            throw HisRefusal.field(at(name), "required");
        }
        if (v.isNumber()) {
            return v.decimalValue().toPlainString();
        }
        if (v.isTextual()) {
            return v.asText().strip();
        }
        throw HisRefusal.field(at(name), "must be a number");
    }

    LocalDateTime time(String name) {
        String s = text(name);
        try {
            return LocalDateTime.parse(s, TIME);
        } catch (DateTimeParseException e) {
            throw HisRefusal.field(at(name), "must be a time yyyy-MM-dd HH:mm:ss: '" + s + "'");
        }
    }

    LocalDate date(String name) {
        String s = text(name);
        try {
            return LocalDate.parse(s, DATE);
        } catch (DateTimeParseException e) {
            throw HisRefusal.field(at(name), "must be a date yyyy-MM-dd: '" + s + "'");
        }
    }
}
