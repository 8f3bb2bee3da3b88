package org.medsettle.catalogue.internal;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.imports.CsvFile;

/**
 * Reads the catalogue CSV format ({@link CsvFile}: strict UTF-8, exact header, 8 fields). Every bad line is
 * reported; one bad line refuses the whole file.
 */
public final class CatalogueCsv {

    static final String HEADER = "med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to";
    private static final Set<String> KINDS = Set.of("drug", "service", "material");
    private static final LocalDate OPEN_END = LocalDate.of(9999, 12, 31);

    public record Result(List<CatalogueEntry> entries, int lines, List<String> problems) {
    }

    private CatalogueCsv() {
    }

    public static Result read(InputStream in, IntConsumer progress) {
        List<CatalogueEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, List<Integer>> linesByCode = new HashMap<>();
        int lines = CsvFile.read(in, HEADER, 8, problems, progress, (fields, at) -> {
            CatalogueEntry entry = parse(fields, at, problems);
            if (entry != null) {
                entries.add(entry);
                linesByCode.computeIfAbsent(entry.medListCodg(), k -> new ArrayList<>(1)).add(entries.size() - 1);
            }
        });
        overlaps(entries, linesByCode, problems);
        if (lines == 0 && problems.isEmpty()) {
            // a header alone would be an active version covering nothing: every fee paid in full by the patient
            problems.add("line 2: no catalogue line after the header; a version without entries is not imported");
        }
        return new Result(entries, lines, problems);
    }

    /** Decimals of {@code selfpay_prop} the store keeps (a ratio, numeric 5,4 as in the national interface). */
    static final int SELFPAY_SCALE = 4;
    /** Digits and decimals of {@code price_limit} the store keeps (yuan per unit, as a fee line's {@code pric}). */
    static final int PRICE_DIGITS = 16;
    static final int PRICE_SCALE = 6;
    /** Digits with an optional sign and decimals: no exponent ({@code 1E+3}), no sign-only or dot-first forms. */
    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

    private static CatalogueEntry parse(String[] f, String at, List<String> problems) {
        int before = problems.size();
        String code = f[0].strip();
        if (!CatalogueEntry.CODE.matches(code)) {
            // as a HIS fee line's med_list_codg must be: an entry of any other form could never be billed
            problems.add(at + "med_list_codg must be " + CatalogueEntry.CODE_DESCRIBED + ", as a fee line's: '" + code
                    + "'");
        }
        String name = f[1].strip();
        if (name.isEmpty() || name.length() > 200) {
            problems.add(at + "name must be 1 to 200 characters");
        }
        org.medsettle.api.PlainText.refusal("name", name).ifPresent(p -> problems.add(at + p));
        String kind = f[2].strip();
        if (!KINDS.contains(kind)) {
            problems.add(at + "kind must be drug, service or material: '" + kind + "'");
        }
        ChargeClass chargeClass = null;
        try {
            chargeClass = ChargeClass.valueOf(f[3].strip());
        } catch (IllegalArgumentException e) {
            problems.add(at + "class must be A, B or C: '" + f[3] + "'");
        }
        BigDecimal selfpay = decimal(f[4], at + "selfpay_prop", problems);
        if (selfpay != null && (selfpay.signum() < 0 || selfpay.compareTo(BigDecimal.ONE) > 0)) {
            problems.add(at + "selfpay_prop must be in [0, 1]: " + f[4]);
        } else if (selfpay != null && selfpay.stripTrailingZeros().scale() > SELFPAY_SCALE) {
            // stored as DECIMAL(5,4): a fifth decimal would be settled until the next restart and cut off after it
            problems.add(at + "selfpay_prop has at most " + SELFPAY_SCALE + " decimals: " + f[4].strip());
        }
        if (selfpay != null && selfpay.signum() != 0 && chargeClass != null && chargeClass != ChargeClass.B) {
            problems.add(at + "selfpay_prop applies to class B only: " + f[4] + " on class " + chargeClass);
        }
        Optional<BigDecimal> limit = Optional.empty();
        if (!f[5].isBlank()) {
            BigDecimal value = decimal(f[5], at + "price_limit", problems);
            if (value != null && value.signum() <= 0) {
                problems.add(at + "price_limit must be > 0 or empty: " + f[5]);
            } else if (value != null && (value.stripTrailingZeros().scale() > PRICE_SCALE
                    || value.precision() - value.scale() > PRICE_DIGITS - PRICE_SCALE)) {
                // stored as DECIMAL(16,6), as a fee line's pric: what is imported is what a restart reads
                problems.add(at + "price_limit has at most " + (PRICE_DIGITS - PRICE_SCALE) + " digits before the "
                        + "point and " + PRICE_SCALE + " after: " + f[5].strip());
            }
            limit = Optional.ofNullable(value);
        }
        LocalDate from = date(f[6], at + "valid_from", problems);
        LocalDate to = f[7].isBlank() ? null : date(f[7], at + "valid_to", problems);
        if (from != null && to != null && to.isBefore(from)) {
            problems.add(at + "valid_to " + to + " is before valid_from " + from);
        }
        if (problems.size() > before) {
            return null;
        }
        Optional<LocalDate> end = to == null || to.equals(OPEN_END) ? Optional.empty() : Optional.of(to);
        return new CatalogueEntry(code, name, kind, chargeClass, selfpay, limit, from, end);
    }

    /** Two lines of one code whose validity periods overlap would make a look-up ambiguous. */
    private static void overlaps(List<CatalogueEntry> entries, Map<String, List<Integer>> linesByCode, List<String> problems) {
        linesByCode.forEach((code, indexes) -> {
            for (int i = 0; i < indexes.size(); i++) {
                for (int j = i + 1; j < indexes.size(); j++) {
                    CatalogueEntry a = entries.get(indexes.get(i));
                    CatalogueEntry b = entries.get(indexes.get(j));
                    LocalDate aEnd = a.validTo().orElse(OPEN_END);
                    LocalDate bEnd = b.validTo().orElse(OPEN_END);
                    if (!a.validFrom().isAfter(bEnd) && !b.validFrom().isAfter(aEnd)) {
                        problems.add("code " + code + ": two entries valid at the same time (" + a.validFrom() + "–" + aEnd
                                + " and " + b.validFrom() + "–" + bEnd + ")");
                    }
                }
            }
        });
    }

    private static BigDecimal decimal(String text, String field, List<String> problems) {
        if (!PLAIN_NUMBER.matcher(text.strip()).matches()) {
            problems.add(field + " is not a number: '" + text + "'");
            return null;
        }
        return new BigDecimal(text.strip());
    }

    private static LocalDate date(String text, String field, List<String> problems) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            problems.add(field + " is not a date yyyy-MM-dd: '" + text + "'");
            return null;
        }
    }

}
