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
    /** Digits before the point of an amount, a price or a quantity: what a store keeps (DECIMAL(16,2)). */
    private static final int INTEGER_DIGITS = 14;
    /** The longest text a number may come as: a sign, 14 digits, the point and 6 decimals, with room to spare. */
    private static final int MAX_NUMBER_TEXT = 40;

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

    /** A code of the national interface's form: checked character by character (a fee line has four). */
    String text(String name, org.medsettle.api.AsciiCode format, String described) {
        String s = text(name);
        if (!format.matches(s)) {
            throw HisRefusal.field(at(name), "must be " + described + ": '" + s + "'");
        }
        return s;
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
        int digits = plainDigits(s, 2);
        if (digits < 0 || digits > INTEGER_DIGITS) {
            throw HisRefusal.field(at(name), (digits > INTEGER_DIGITS
                    ? "at most 99999999999999.99 yuan (14 digits before the point): '"
                    : "must be an amount in yuan with at most 2 decimals: '") + s + "'");
        }
        return Money.ofYuan(new BigDecimal(s));
    }

    /** A price or quantity: at most 6 decimals. */
    BigDecimal decimal(String name) {
        String s = number(name);
        int digits = plainDigits(s, 6);
        if (digits < 0 || digits > INTEGER_DIGITS) {
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
            // 1e99999999 is not written out digit by digit: shown as it is, it fails every number's form
            return org.medsettle.api.Decimals.shown(v.decimalValue());
        }
        if (v.isTextual()) {
            String s = v.asText().strip();
            if (s.length() > MAX_NUMBER_TEXT) {
                throw HisRefusal.field(at(name), "a number of at most " + MAX_NUMBER_TEXT + " characters");
            }
            return s;
        }
        throw HisRefusal.field(at(name), "must be a number");
    }

    /**
     * How many digits {@code s} has before its point if it is a plain decimal — an optional {@code -}, at least one
     * digit, and if a point, 1 to {@code decimals} digits after it — else -1. By hand: a fee line has three numbers.
     */
    static int plainDigits(String s, int decimals) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        int start = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        int integer = i - start;
        if (integer == 0) {
            return -1;
        }
        if (i == n) {
            return integer;
        }
        if (s.charAt(i) != '.') {
            return -1;
        }
        int point = ++i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == n && i > point && i - point <= decimals ? integer : -1;
    }

    /**
     * A time {@code yyyy-MM-dd HH:mm:ss} that exists (no 30 February, no 24:00), the whole text and nothing after it
     * ({@link org.medsettle.api.LocalTimes}: {@link #TIME}'s parser cost more than the rest of a fee line).
     *
     * @throws java.time.DateTimeException if it is not one
     */
    static LocalDateTime parseTime(String s) {
        if (s.length() != org.medsettle.api.LocalTimes.LENGTH) {
            throw new java.time.DateTimeException("not yyyy-MM-dd HH:mm:ss");
        }
        return org.medsettle.api.LocalTimes.parse(s, 0, ' ');
    }

    LocalDateTime time(String name) {
        String s = text(name);
        try {
            return parseTime(s);
        } catch (java.time.DateTimeException e) {
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
