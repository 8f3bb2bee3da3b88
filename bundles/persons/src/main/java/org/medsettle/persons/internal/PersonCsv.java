package org.medsettle.persons.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;

/**
 * Reads the person CSV strictly. Problems name the line and the field, never the personal data in it (they
 * end up in logs and reports).
 */
final class PersonCsv {

    static final String HEADER = "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name";
    static final int MAX_PROBLEMS = 1000;
    private static final Pattern PSN_NO = Pattern.compile("[0-9A-Za-z]{1,30}");
    private static final Pattern CERTNO = Pattern.compile("\\d{17}[\\dX]");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";

    record Result(List<Person> persons, List<Money> balances, int lines, List<String> problems) {
    }

    private PersonCsv() {
    }

    /** GB 11643 check digit of an 18-character ID number. */
    static boolean validCertno(String certno) {
        if (!CERTNO.matcher(certno).matches()) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (certno.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11) == certno.charAt(17);
    }

    static Result read(InputStream in, Admdvs insuredPlace, IntConsumer progress) {
        List<Person> persons = new ArrayList<>();
        List<Money> balances = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> psnLines = new HashMap<>();
        Map<String, Integer> certLines = new HashMap<>();
        int lineNo = 0;
        int data = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            String header = reader.readLine();
            lineNo++;
            if (header == null) {
                return new Result(List.of(), List.of(), 0, List.of("line 1: the file is empty; expected the header " + HEADER));
            }
            if (!HEADER.equals(header.replace("\uFEFF", "").strip())) {
                problems.add("line 1: the header must be exactly " + HEADER);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                data++;
                if (data % 5000 == 0) {
                    progress.accept(data);
                }
                int before = problems.size();
                Person person = null;
                Money balance = null;
                String[] f = line.strip().split(",", -1);
                String at = "line " + lineNo + ": ";
                if (f.length != 10) {
                    problems.add(at + "expected 10 fields, found " + f.length);
                } else {
                    String psnNo = f[0].strip();
                    String certno = f[1].strip().toUpperCase(java.util.Locale.ROOT);
                    if (!PSN_NO.matcher(psnNo).matches()) {
                        problems.add(at + "psn_no must be 1 to 30 letters or digits");
                    }
                    if (!validCertno(certno)) {
                        problems.add(at + "certno is not an 18-character ID number with a valid check digit");
                    }
                    if (f[2].isBlank() || f[2].length() > 100) {
                        problems.add(at + "psn_name must be 1 to 100 characters");
                    }
                    if (!"1".equals(f[3].strip()) && !"2".equals(f[3].strip())) {
                        problems.add(at + "gend must be 1 or 2");
                    }
                    LocalDate brdy = null;
                    try {
                        brdy = LocalDate.parse(f[4].strip());
                    } catch (DateTimeParseException e) {
                        problems.add(at + "brdy is not a date yyyy-MM-dd");
                    }
                    InsuranceType type = code(() -> InsuranceType.ofCode(f[5].strip()), at + "insutype must be 310 or 390", problems);
                    PersonType psnType = code(() -> PersonType.ofCode(f[6].strip()), at + "psn_type must be 1101, 1102 or 1501", problems);
                    Assistance assistance = code(() -> Assistance.ofCode(f[7].strip()), at + "assistance must be A, B or empty", problems);
                    if (type != null && psnType != null && (type == InsuranceType.RESIDENT) != (psnType == PersonType.RESIDENT)) {
                        problems.add(at + "psn_type " + psnType.code() + " does not go with insutype " + type.code());
                    }
                    try {
                        balance = Money.ofYuan(f[8].strip());
                        if (balance.isNegative()) {
                            problems.add(at + "acct_balc must not be negative");
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(at + "acct_balc is not an amount with at most 2 decimals");
                    }
                    if (f[9].length() > 200) {
                        problems.add(at + "emp_name longer than 200 characters");
                    }
                    Integer twin = psnLines.putIfAbsent(psnNo, lineNo);
                    if (twin != null) {
                        problems.add(at + "psn_no repeats line " + twin);
                    }
                    Integer certTwin = certLines.putIfAbsent(certno, lineNo);
                    if (certTwin != null) {
                        problems.add(at + "certno repeats line " + certTwin);
                    }
                    if (problems.size() == before) {
                        person = new Person(psnNo, certno, f[2].strip(), f[3].strip(), brdy, type, psnType, assistance, insuredPlace,
                                f[9].strip());
                    }
                }
                if (person != null) {
                    persons.add(person);
                    balances.add(balance);
                }
                if (problems.size() >= MAX_PROBLEMS) {
                    problems.add("... stopped after " + MAX_PROBLEMS + " problems");
                    break;
                }
            }
        } catch (CharacterCodingException e) {
            problems.add("line " + (lineNo + 1) + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept(data);
        return new Result(persons, balances, data, problems);
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
