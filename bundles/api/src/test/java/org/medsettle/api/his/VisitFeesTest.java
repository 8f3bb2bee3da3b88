package org.medsettle.api.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Money;

class VisitFeesTest {

    private static VisitFees.Line line(String sn, String hospitalCode, String pric, String cnt, long fen,
                                       Optional<String> reverses) {
        return new VisitFees.Line("ZY1", sn, "XA01AAA123B001010100001", hospitalCode,
                LocalDateTime.of(2026, 11, 2, 9, 0, 0), new BigDecimal(pric), new BigDecimal(cnt), Money.ofFen(fen),
                Money.ofFen(fen / 10), Money.ofFen(-3), Money.ofFen(0), Money.ofFen(fen - fen / 10 + 3), "02", reverses,
                "ACTIVE", "M1");
    }

    /** What reading the value back gives: the DB's scales (price 6, quantity 4) and the upload's msgid. */
    private static VisitFees.Line stored(VisitFees.Line l) {
        return new VisitFees.Line(l.mdtrtId(), l.feedetlSn(), l.medListCodg(), l.medinsListCodg(), l.time(),
                l.pric().setScale(6), l.cnt().setScale(4), l.amount(), l.fulamtOwnpay(), l.overlmt(), l.preselfpay(),
                l.inscp(), l.chrgitmLv(), l.reverses(), l.state(), l.msgid());
    }

    @Test
    void anUploadsLinesComeBackExactlyFromOneValue() {
        List<VisitFees.Line> lines = List.of(line("1", "", "12.5", "2", 2500, Optional.empty()),
                line("2", "H-77", "0.001234", "1.5", 0, Optional.empty()),
                line("3", "", "12.5", "-1", -1250, Optional.of("1")));
        List<VisitFees.Part> parts = VisitFees.encode(lines);
        assertEquals(1, parts.size());
        assertEquals("1 2 3", parts.get(0).serials());
        assertEquals(3, parts.get(0).count());
        assertTrue(parts.get(0).value().startsWith("1\n1\tXA01AAA123B001010100001\t\t2026-11-02T09:00:00\t12.500000\t"
                + "2.0000\t2500\t250\t-3\t0\t2253\t02\t\n"), parts.get(0).value());
        assertEquals(lines.stream().map(VisitFeesTest::stored).toList(),
                VisitFees.decode("ZY1", "M1", parts.get(0).value()));
    }

    @Test
    void textWithTabsNewlinesAndBackslashesSurvivesTheValue() {
        String odd = "a\tb\nc\\d\re\\t";
        VisitFees.Line l = line("9", odd, "1", "1", 100, Optional.empty());
        List<VisitFees.Line> back = VisitFees.decode("ZY1", "M1", VisitFees.encode(List.of(l)).get(0).value());
        assertEquals(odd, back.get(0).medinsListCodg());
        assertEquals(List.of(stored(l)), back);
    }

    @Test
    void timesWithNanosecondsOrOddYearsAreKeptToo() {
        VisitFees.Line l = line("1", "", "1", "1", 100, Optional.empty());
        for (LocalDateTime t : List.of(LocalDateTime.of(2026, 1, 1, 0, 0, 0, 500), LocalDateTime.of(999, 12, 31, 23, 59),
                LocalDateTime.of(2026, 12, 31, 23, 59, 59))) {
            VisitFees.Line at = new VisitFees.Line("ZY1", "1", l.medListCodg(), "", t, l.pric(), l.cnt(), l.amount(),
                    l.fulamtOwnpay(), l.overlmt(), l.preselfpay(), l.inscp(), "01", Optional.empty(), "ACTIVE", "M1");
            assertEquals(t, VisitFees.decode("ZY1", "M1", VisitFees.encode(List.of(at)).get(0).value()).get(0).time());
        }
    }

    @Test
    void anUploadTooLargeForOneValueTakesSeveralEachWithinTheColumn() {
        Random random = new Random(7);
        List<VisitFees.Line> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add(line("S" + i + "x".repeat(random.nextInt(28)), "h".repeat(random.nextInt(61)),
                    random.nextInt(100000) + "." + random.nextInt(1000000), random.nextInt(1000) + 1 + "",
                    random.nextInt(1_000_000_000), Optional.empty()));
        }
        List<VisitFees.Part> parts = VisitFees.encode(lines);
        assertTrue(parts.size() > 1, "parts " + parts.size());
        List<VisitFees.Line> back = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            VisitFees.Part part = parts.get(p);
            assertEquals(p, part.part());
            assertTrue(part.bytes().length <= VisitFees.MAX_VALUE_BYTES, "value " + part.bytes().length);
            assertTrue(part.serials().length() <= VisitFees.MAX_VALUE_CHARS, "serials " + part.serials().length());
            List<VisitFees.Line> decoded = VisitFees.decode("ZY1", "M1", part.value());
            assertEquals(part.count(), decoded.size());
            assertEquals(String.join(" ", decoded.stream().map(VisitFees.Line::feedetlSn).toList()), part.serials());
            back.addAll(decoded);
        }
        assertEquals(lines.stream().map(VisitFeesTest::stored).toList(), back);
    }

    @Test
    void anUploadOfChineseTextIsSplitByItsBytesInUtf8EachPartWithinTheColumnAndFull() {
        // hospital item names of three bytes a character (and one of four, a surrogate pair): by characters the first
        // part would hold three times what the column takes
        Random random = new Random(26);
        List<VisitFees.Line> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lines.add(line("S" + i, "葡萄糖注射液".repeat(1 + random.nextInt(8)) + (i % 7 == 0 ? "\uD840\uDC0B" : ""),
                    "1.5", "2", 300, Optional.empty()));
        }
        List<VisitFees.Part> parts = VisitFees.encode(lines);
        List<VisitFees.Line> back = new ArrayList<>();
        for (VisitFees.Part part : parts) {
            int bytes = part.bytes().length;
            assertTrue(bytes <= VisitFees.MAX_VALUE_BYTES, "value of " + bytes + " bytes");
            assertEquals(bytes, VisitFees.utf8Length(part.value()), "counted as the encoder writes it");
            back.addAll(VisitFees.decode("ZY1", "M1", new String(part.bytes(), java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertTrue(parts.size() >= 3, "parts " + parts.size());
        for (int p = 0; p < parts.size() - 1; p++) {
            assertTrue(parts.get(p).bytes().length > VisitFees.MAX_VALUE_BYTES - 400, "part " + p + " is full: "
                    + parts.get(p).bytes().length);
        }
        assertEquals(lines.stream().map(VisitFeesTest::stored).toList(), back);
    }

    @Test
    void utf8LengthIsWhatTheEncoderWrites() {
        for (String s : List.of("", "abc", "é", "葡萄糖", "\uD840\uDC0B", "a\uD840", "\uDC0Bz", "x\u07FF\u0800\uFFFF")) {
            assertTrue(VisitFees.utf8Length(s) >= s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, s);
            if (s.chars().noneMatch(ch -> Character.isSurrogate((char) ch)) || s.equals("\uD840\uDC0B")) {
                assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, VisitFees.utf8Length(s), s);
            }
        }
    }

    @Test
    void aValueOfAnotherFormatOrWithAMissingFieldIsRefusedNotMisread() {
        String good = VisitFees.encode(List.of(line("1", "", "1", "1", 100, Optional.empty()))).get(0).value();
        IllegalStateException format = assertThrows(IllegalStateException.class,
                () -> VisitFees.decode("ZY1", "M1", "2" + good.substring(1)));
        assertTrue(format.getMessage().contains("unknown format '2'"), format.getMessage());
        IllegalStateException fields = assertThrows(IllegalStateException.class,
                () -> VisitFees.decode("ZY1", "M1", good.substring(0, good.lastIndexOf('\t'))));
        assertTrue(fields.getMessage().contains("13 fields"), fields.getMessage());
        assertThrows(IllegalStateException.class, () -> VisitFees.decode("ZY1", "M1", good + "\tmore"));
    }

    @Test
    void betweenTwoTimesOnlyTheLinesAtThoseTimesAndEveryReversingLineAreRead() {
        List<VisitFees.Line> lines = new ArrayList<>();
        for (int h = 8; h <= 12; h++) {
            VisitFees.Line l = line("L" + h, "", "1", "1", 100, Optional.empty());
            lines.add(new VisitFees.Line("ZY1", l.feedetlSn(), l.medListCodg(), "", LocalDateTime.of(2026, 11, 2, h, 0),
                    l.pric(), l.cnt(), l.amount(), l.fulamtOwnpay(), l.overlmt(), l.preselfpay(), l.inscp(), "01",
                    Optional.empty(), "ACTIVE", "M1"));
        }
        VisitFees.Line back = line("R1", "", "1", "-1", -100, Optional.of("L8"));
        lines.add(new VisitFees.Line("ZY1", "R1", back.medListCodg(), "", LocalDateTime.of(2026, 11, 5, 9, 0),
                back.pric(), back.cnt(), back.amount(), back.fulamtOwnpay(), back.overlmt(), back.preselfpay(),
                back.inscp(), "01", back.reverses(), "ACTIVE", "M1"));
        String value = VisitFees.encode(lines).get(0).value();
        List<String> read = VisitFees.decode("ZY1", "M1", value, LocalDateTime.of(2026, 11, 2, 9, 0),
                LocalDateTime.of(2026, 11, 2, 11, 0)).stream().map(VisitFees.Line::feedetlSn).toList();
        assertEquals(List.of("L9", "L10", "L11", "R1"), read);
        assertEquals(6, VisitFees.decode("ZY1", "M1", value).size());
    }

    @Test
    void aCancelledLineIsNeverWrittenIntoAnUploadsValue() {
        VisitFees.Line cancelled = line("1", "", "1", "1", 100, Optional.empty()).withState("CANCELLED");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VisitFees.encode(List.of(cancelled)));
        assertTrue(e.getMessage().contains("CANCELLED"), e.getMessage());
    }
}
