package org.medsettle.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A medical-insurance administrative division code (医保区划, {@code admdvs}): six digits, the first two
 * naming the province, e.g. {@code 330000} Zhejiang, {@code 330106} a district of Hangzhou.
 */
public record Admdvs(String code) implements Comparable<Admdvs> {

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");

    public Admdvs {
        Objects.requireNonNull(code, "code");
        if (!SIX_DIGITS.matcher(code).matches()) {
            throw new IllegalArgumentException("division code must be 6 digits: '" + code + "'");
        }
        if (code.startsWith("00")) {
            throw new IllegalArgumentException("division code has no province: '" + code + "'");
        }
    }

    public static Admdvs of(String code) {
        return new Admdvs(code == null ? null : code.trim());
    }

    /**
     * A province named by its province-level code, as an operator or an agency types it: six digits ending in
     * {@code 0000} whose first two name a provincial-level division of the mainland ({@link #inRealProvince()}).
     * A city's code ({@code 330100}), the hub's {@code 100000} or a code of no province ({@code 990000}) is refused.
     *
     * @throws IllegalArgumentException "not a province: '…'" with an example of one
     */
    public static Admdvs ofProvince(String code) {
        Admdvs a;
        try {
            a = of(code == null ? "" : code);
        } catch (IllegalArgumentException e) {
            a = null;
        }
        if (a == null || !a.isProvince() || !a.inRealProvince()) {
            throw new IllegalArgumentException("not a province: '" + code
                    + "' (a province-level code of the mainland, e.g. 630000)");
        }
        return a;
    }

    /** The province-level code this division belongs to: {@code 330106} → {@code 330000}. */
    public Admdvs province() {
        return isProvince() ? this : new Admdvs(code.substring(0, 2) + "0000");
    }

    /**
     * Whether the first two digits name a provincial-level division of the mainland (GB/T 2260: 11–15, 21–23,
     * 31–37, 41–46, 50–54, 61–65, and 66, the Xinjiang Production and Construction Corps, which runs its own medical
     * insurance) — where a patient can be treated or insured; {@code 100000} (the national hub) is not one.
     */
    public boolean inRealProvince() {
        int p = Integer.parseInt(code.substring(0, 2));
        return p >= 11 && p <= 15 || p >= 21 && p <= 23 || p >= 31 && p <= 37 || p >= 41 && p <= 46
                || p >= 50 && p <= 54 || p >= 61 && p <= 66;
    }

    public boolean isProvince() {
        return code.endsWith("0000");
    }

    public boolean sameProvinceAs(Admdvs other) {
        return code.regionMatches(0, other.code, 0, 2);
    }

    @Override
    public int compareTo(Admdvs other) {
        return code.compareTo(other.code);
    }

    @Override
    public String toString() {
        return code;
    }
}
