package org.medsettle.persons.internal;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.imports.CsvFile;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;

/**
 * Reads the person CSV ({@link CsvFile}: strict UTF-8, exact header, 10 fields). Problems name the line and the
 * field, never the personal data in it (they end up in logs and reports).
 */
final class PersonCsv {

    /** A balance as the store keeps it: plain digits, at most 14 before the point (DECIMAL(16,2)) and 2 after. */
    private static final Pattern BALANCE = Pattern.compile("-?\\d{1,14}(\\.\\d{1,2})?");
    private static final Pattern FINER_THAN_A_FEN = Pattern.compile("-?\\d{1,14}\\.\\d{3,}");
    /**
     * The most a personal account (个人账户) can hold: it receives a few thousand yuan a year at most (the reference
     * persons hold up to 46,000), so a million is decades beyond anyone's and a larger balance is a mistake in the
     * extract — fen written as yuan, columns shifted — which would otherwise pay settlements from money that is not there.
     */
    static final Money MAX_ACCOUNT_BALANCE = Money.ofYuan("1000000.00");

    static final String HEADER = "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name";
    private static final Pattern PSN_NO = Pattern.compile("[0-9A-Za-z]{1,30}");
    private static final Pattern CERTNO = Pattern.compile("\\d{17}[\\dX]");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";

    /** @param where for each person, the line it came from ({@code "line 7: "}) */
    record Result(List<Person> persons, List<Money> balances, List<String> where, int lines, List<String> problems) {
    }

    private PersonCsv() {
    }

    /** GB 11643 check digit of an 18-character ID number. */
    static boolean validCertno(String certno) {
        return CERTNO.matcher(certno).matches() && checkDigit(certno) == certno.charAt(17);
    }

    /** The GB 11643 check digit of the first 17 digits of {@code certno}. */
    static char checkDigit(String certno) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (certno.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11);
    }

    /** The earliest birth date taken: no one insured today was born before it. */
    static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);
    private static final java.time.format.DateTimeFormatter BIRTH_IN_CERTNO = java.time.format.DateTimeFormatter
            .ofPattern("uuuuMMdd").withResolverStyle(java.time.format.ResolverStyle.STRICT);

    /**
     * The birth date an ID number carries (GB 11643: its 7th to 14th characters, {@code yyyyMMdd}), if it is a date
     * that exists.
     */
    static java.util.Optional<LocalDate> birthDateIn(String certno) {
        try {
            return java.util.Optional.of(LocalDate.parse(certno.substring(6, 14), BIRTH_IN_CERTNO));
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    /** The gender an ID number carries (GB 11643: its 17th character, odd for men): {@code gend} 1 or 2. */
    static String genderIn(String certno) {
        return (certno.charAt(16) - '0') % 2 == 1 ? "1" : "2";
    }

    /**
     * The persons of a CSV file; a line is checked against the real world as well as its format: a birth date
     * between {@link #EARLIEST_BIRTH} and {@code today}, the same as the ID number's, and the gender the ID number
     * carries. No problem names the ID number (the lines do).
     */
    static Result read(InputStream in, Admdvs insuredPlace, LocalDate today, IntConsumer progress) {
        List<Person> persons = new ArrayList<>();
        List<Money> balances = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> where = new ArrayList<>();
        Map<String, String> psnLines = new HashMap<>();
        Map<String, String> certLines = new HashMap<>();
        int lines = CsvFile.read(in, HEADER, 10, problems, progress, (f, at) -> {
            int before = problems.size();
            String psnNo = f[0].strip();
            String certno = f[1].strip().toUpperCase(Locale.ROOT);
            if (!PSN_NO.matcher(psnNo).matches()) {
                problems.add(at + "psn_no must be 1 to 30 letters or digits");
            }
            boolean certnoValid = validCertno(certno);
            java.util.Optional<LocalDate> carried = certnoValid ? birthDateIn(certno) : java.util.Optional.empty();
            if (!certnoValid) {
                problems.add(at + "certno is not an 18-character ID number with a valid check digit");
            } else if (carried.isEmpty()) {
                problems.add(at + "certno carries no birth date that exists (its 7th to 14th characters)");
            }
            if (f[2].isBlank() || f[2].length() > 100) {
                problems.add(at + "psn_name must be 1 to 100 characters");
            }
            org.medsettle.api.PlainText.refusal("psn_name", f[2]).ifPresent(p -> problems.add(at + p));
            String gend = f[3].strip();
            if (!"1".equals(gend) && !"2".equals(gend)) {
                problems.add(at + "gend must be 1 or 2");
            } else if (certnoValid && !genderIn(certno).equals(gend)) {
                problems.add(at + "gend " + gend + " is not the gender in certno (its 17th character: odd for 1, "
                        + "even for 2)");
            }
            LocalDate brdy = null;
            try {
                brdy = LocalDate.parse(f[4].strip());
            } catch (DateTimeParseException e) {
                problems.add(at + "brdy is not a date yyyy-MM-dd");
            }
            if (brdy != null && brdy.isAfter(today)) {
                problems.add(at + "brdy " + brdy + " is after today " + today);
            } else if (brdy != null && brdy.isBefore(EARLIEST_BIRTH)) {
                problems.add(at + "brdy " + brdy + " is before " + EARLIEST_BIRTH);
            } else if (brdy != null && !carried.map(brdy::equals).orElse(true)) {
                problems.add(at + "brdy " + brdy + " is not the birth date in certno (its 7th to 14th characters)");
            }
            InsuranceType type = code(() -> InsuranceType.ofCode(f[5].strip()), at + "insutype must be 310 or 390", problems);
            PersonType psnType = code(() -> PersonType.ofCode(f[6].strip()), at + "psn_type must be 1101, 1102 or 1501", problems);
            Assistance assistance = code(() -> Assistance.ofCode(f[7].strip()), at + "assistance must be A, B or empty", problems);
            if (type != null && psnType != null && (type == InsuranceType.RESIDENT) != (psnType == PersonType.RESIDENT)) {
                problems.add(at + "psn_type " + psnType.code() + " does not go with insutype " + type.code());
            }
            String balc = f[8].strip();
            Money balance = null;
            if (BALANCE.matcher(balc).matches()) {
                balance = Money.ofYuan(balc);
            } else {
                // finer than a fen, an exponent (1E+3) or more than the store keeps (DECIMAL(16,2)): refused, not
                // rounded, cut or overflowed
                problems.add(at + (FINER_THAN_A_FEN.matcher(balc).matches()
                        ? "acct_balc is not an amount with at most 2 decimals"
                        : "acct_balc is not a plain amount of at most 14 digits before the point"));
            }
            if (balance != null && balance.isNegative()) {
                problems.add(at + "acct_balc must not be negative");
            } else if (balance != null && balance.compareTo(MAX_ACCOUNT_BALANCE) > 0) {
                problems.add(at + "acct_balc is more than a personal account holds (at most " + MAX_ACCOUNT_BALANCE
                        + " yuan): an amount in fen, or another column?");
            }
            if (f[9].length() > 200) {
                problems.add(at + "emp_name longer than 200 characters");
            }
            org.medsettle.api.PlainText.refusal("emp_name", f[9]).ifPresent(p -> problems.add(at + p));
            String twin = psnLines.putIfAbsent(psnNo, at);
            if (twin != null) {
                problems.add(at + "psn_no repeats " + twin.substring(0, twin.length() - 2));
            }
            String certTwin = certLines.putIfAbsent(certno, at);
            if (certTwin != null) {
                problems.add(at + "certno repeats " + certTwin.substring(0, certTwin.length() - 2));
            }
            if (problems.size() == before) {
                persons.add(new Person(psnNo, certno, f[2].strip(), gend, brdy, type, psnType, assistance, insuredPlace,
                        f[9].strip()));
                balances.add(balance);
                where.add(at);
            }
        });
        return new Result(persons, balances, where, lines, problems);
    }

    private interface Code<T> {
        T get();
    }

    private static <T> T code(Code<T> parse, String problem, List<String> problems) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problems.add(problem);
            return null;
        }
    }
}
