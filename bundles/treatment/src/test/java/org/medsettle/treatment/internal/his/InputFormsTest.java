package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The HIS fields' forms read by hand ({@link Input#plainDigits}, {@link Input#parseTime}) take exactly what the
 * regular expressions and the strict formatter they replaced took, on random text near the forms.
 */
class InputFormsTest {

    private static final Pattern AMOUNT = Pattern.compile("-?\\d{1,14}(\\.\\d{1,2})?");
    private static final Pattern TOO_LARGE = Pattern.compile("-?\\d{15,}(\\.\\d{1,2})?");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,14}(\\.\\d{1,6})?");
    private static final DateTimeFormatter STRICT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    private static String random(Random r, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int k = r.nextInt(maxLength + 1); k > 0; k--) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Test
    void anAmountAndADecimalAreTakenExactlyAsTheirRegularExpressionsTookThem() {
        Random r = new Random(47);
        for (int i = 0; i < 200_000; i++) {
            String s = random(r, "0123456789.-+e ٣", 20);
            int two = Input.plainDigits(s, 2);
            assertEquals(AMOUNT.matcher(s).matches(), two >= 0 && two <= 14, s);
            assertEquals(TOO_LARGE.matcher(s).matches(), two > 14, s);
            int six = Input.plainDigits(s, 6);
            assertEquals(DECIMAL.matcher(s).matches(), six >= 0 && six <= 14, s);
        }
        assertEquals(14, Input.plainDigits("-99999999999999.99", 2));
        assertEquals(-1, Input.plainDigits("1.", 2));
        assertEquals(-1, Input.plainDigits(".5", 2));
        assertEquals(-1, Input.plainDigits("1.005", 2));
        assertEquals(1, Input.plainDigits("1.005", 6));
    }

    private static Optional<LocalDateTime> strict(String s) {
        try {
            return Optional.of(LocalDateTime.parse(s, STRICT));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDateTime> byHand(String s) {
        try {
            return Optional.of(Input.parseTime(s));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    @Test
    void aTimeIsTakenExactlyAsTheStrictFormatterTookItAndOnlyIfItExists() {
        Random r = new Random(47);
        for (int i = 0; i < 100_000; i++) {
            // a real time with one or two characters changed: days past a month's end, hour 24, a letter, a sign
            char[] c = String.format("%04d-%02d-%02d %02d:%02d:%02d", 1990 + r.nextInt(50), 1 + r.nextInt(12),
                    1 + r.nextInt(31), r.nextInt(25), r.nextInt(61), r.nextInt(61)).toCharArray();
            for (int k = r.nextInt(3); k > 0; k--) {
                c[r.nextInt(c.length)] = "0123456789-: x+T".charAt(r.nextInt(16));
            }
            String s = new String(c);
            assertEquals(strict(s), byHand(s), s);
        }
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59), Input.parseTime("2024-02-29 23:59:59"));
        assertThrows(DateTimeException.class, () -> Input.parseTime("2026-02-29 10:00:00"));
        assertThrows(DateTimeException.class, () -> Input.parseTime("2026-03-11 24:00:00"));
        assertThrows(DateTimeException.class, () -> Input.parseTime("2026-03-11T10:00:00"));
        assertThrows(DateTimeException.class, () -> Input.parseTime("2026-03-11 10:00"));
    }
}
