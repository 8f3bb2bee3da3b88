package org.medsettle.clearing.internal;

import java.io.IOException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingBook.Side;
import org.medsettle.api.clearing.ClearingStatement;
import org.medsettle.api.clearing.FundAmounts;
import org.medsettle.api.clearing.Movement;

/**
 * The clearing's messages between the hub and the nodes ({@code CLEARING_REPORT}, {@code CLEARING_CASES},
 * {@code CLEARING_CLOSE}) as Jackson databind maps them. A line travels as one compact text,
 * {@code side|counterpart|setl_id|movement|month|hifp|cvlserv|hifes|hifmi|hifob|maf|oth|acct} (fen), so that a page
 * of 5,000 lines stays well under the link's 1 MiB. Anything malformed is an {@link IllegalArgumentException} naming
 * it.
 */
final class ClearingMessages {

    static final String REPORT = "CLEARING_REPORT";
    static final String CASES = "CLEARING_CASES";
    static final String CLOSE = "CLEARING_CLOSE";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final Pattern CLEARING_ID = Pattern.compile("CL[0-9]{6}");
    private static final Pattern SETL_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private ClearingMessages() {
    }

    static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " message: " + e.getMessage(), e);
        }
    }

    static String clearingId(String id) {
        if (id == null || !CLEARING_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a clearing id: '" + id + "' (CL and yyyyMM)");
        }
        return id;
    }

    static YearMonth month(String text) {
        try {
            return YearMonth.parse(text == null ? "" : text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a month: '" + text + "' (yyyy-MM)");
        }
    }

    /** The hub asks for a page of the node's report (the first request makes the report). */
    record ReportRequest(@JsonProperty("clearing_id") String clearingId, @JsonProperty("month") String month,
                         @JsonProperty("after") long after, @JsonProperty("limit") int limit) {
    }

    /** A page of the report: lines after {@code after}, the last one's sequence; {@code done} on the last page. */
    record ReportPage(@JsonProperty("clearing_id") String clearingId, @JsonProperty("lines") List<String> lines,
                      @JsonProperty("last") long last, @JsonProperty("done") boolean done,
                      @JsonProperty("total") long total) {
    }

    /** Lines of the node's report the hub could not clear: the node carries them to the next clearing. */
    record CasesRequest(@JsonProperty("clearing_id") String clearingId, @JsonProperty("cases") List<String> cases) {
    }

    record CasesAnswer(@JsonProperty("carried") long carried) {
    }

    /** The end of a clearing for a node: its statement; the rest of its report is cleared (if it was included). */
    record CloseRequest(@JsonProperty("clearing_id") String clearingId, @JsonProperty("month") String month,
                        @JsonProperty("included") boolean included,
                        @JsonProperty("statement") StatementMessage statement) {
    }

    record CloseAnswer(@JsonProperty("cleared") long cleared, @JsonProperty("carried") long carried,
                       @JsonProperty("repeated") boolean repeated) {
    }

    record PositionMessage(@JsonProperty("counterpart") String counterpart,
                           @JsonProperty("receives") long[] receives,
                           @JsonProperty("received_lines") long receivedLines,
                           @JsonProperty("pays") long[] pays,
                           @JsonProperty("paid_lines") long paidLines) {

        static PositionMessage of(ClearingStatement.Position p) {
            return new PositionMessage(p.counterpart().code(), p.receives().values(), p.receivedLines(),
                    p.pays().values(), p.paidLines());
        }

        ClearingStatement.Position position() {
            if (receives == null || pays == null) {
                throw new IllegalArgumentException("a position needs receives and pays");
            }
            return new ClearingStatement.Position(province(counterpart), FundAmounts.of(receives), receivedLines,
                    FundAmounts.of(pays), paidLines);
        }
    }

    record StatementMessage(@JsonProperty("clearing_id") String clearingId, @JsonProperty("month") String month,
                            @JsonProperty("province") String province,
                            @JsonProperty("positions") List<PositionMessage> positions,
                            @JsonProperty("carried") long carried) {

        static StatementMessage of(ClearingStatement s) {
            return new StatementMessage(s.clearingId(), s.month().toString(), s.province().code(),
                    s.positions().stream().map(PositionMessage::of).toList(), s.carried());
        }

        ClearingStatement statement() {
            List<ClearingStatement.Position> list = new ArrayList<>();
            for (PositionMessage p : positions == null ? List.<PositionMessage>of() : positions) {
                list.add(p.position());
            }
            return new ClearingStatement(ClearingMessages.clearingId(clearingId), ClearingMessages.month(month),
                    ClearingMessages.province(province), list, carried);
        }
    }

    static Admdvs province(String code) {
        return Admdvs.ofProvince(code);
    }

    // ---- lines

    /** A line of a report: the key (side, counterpart, setl_id, movement), its month and amounts. */
    record Line(Side side, Admdvs counterpart, String setlId, Movement movement, YearMonth month, FundAmounts amounts) {

        String key() {
            return key(side, counterpart, setlId, movement);
        }

        static String key(Side side, Admdvs counterpart, String setlId, Movement movement) {
            return (side == Side.CLAIMS ? "C" : "A") + "|" + counterpart.code() + "|" + setlId + "|" + movement.sign();
        }

        String text() {
            StringBuilder b = new StringBuilder(key()).append('|').append(month);
            for (long v : amounts.values()) {
                b.append('|').append(v);
            }
            return b.toString();
        }

        static Line parse(String text) {
            String[] p = text == null ? new String[0] : text.split("\\|", -1);
            if (p.length != 13) {
                throw new IllegalArgumentException("not a clearing line: '" + text + "'");
            }
            long[] fen = new long[8];
            for (int i = 0; i < 8; i++) {
                try {
                    fen[i] = Long.parseLong(p[5 + i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("clearing line '" + text + "': " + FundAmounts.FUNDS.get(i)
                            + " is not a whole number of fen");
                }
            }
            Key k = Key.parse(String.join("|", p[0], p[1], p[2], p[3]));
            return new Line(k.side(), k.counterpart(), k.setlId(), k.movement(), ClearingMessages.month(p[4]),
                    FundAmounts.of(fen));
        }
    }

    /** A line's key as {@code side|counterpart|setl_id|movement}. */
    record Key(Side side, Admdvs counterpart, String setlId, Movement movement) {

        static Key parse(String text) {
            String[] p = text == null ? new String[0] : text.split("\\|", -1);
            if (p.length != 4) {
                throw new IllegalArgumentException("not a clearing line key: '" + text + "'");
            }
            Side side = switch (p[0]) {
                case "C" -> Side.CLAIMS;
                case "A" -> Side.APPLICATIONS;
                default -> throw new IllegalArgumentException("not a side: '" + p[0] + "' (C or A)");
            };
            if (!SETL_ID.matcher(p[2]).matches()) {
                throw new IllegalArgumentException("not a setl_id: '" + p[2] + "'");
            }
            return new Key(side, province(p[1]), p[2], Movement.ofSign(p[3]));
        }

        String text() {
            return Line.key(side, counterpart, setlId, movement);
        }
    }
}
