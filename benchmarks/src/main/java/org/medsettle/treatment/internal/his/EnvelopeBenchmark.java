package org.medsettle.treatment.internal.his;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.SettlementAmounts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The national envelope inside the node: a 2301 request of 30 lines parsed and every field read as the node reads
 * it ({@link Input}, with the forms the upload checks), and a 2304 answer ({@link Output#setlinfo}) written, with the node's own JSON settings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

    /** The parser settings of {@code HisService}. */
    static final ObjectMapper PARSER = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private byte[] upload;
    private Rows.Settlement settlement;

    @Setup
    public void setUp() throws IOException {
        ObjectNode e = PARSER.createObjectNode();
        e.put("infno", "2301").put("msgid", "H33030000001202611231200000001").put("mdtrtarea_admvs", "330000")
                .put("insuplc_admdvs", "630000").put("fixmedins_code", "H33030000001").put("inf_time", "2026-11-23 12:00:00");
        ArrayNode lines = e.putObject("input").putArray("feedetail");
        for (int i = 1; i <= 30; i++) {
            lines.addObject().put("feedetl_sn", String.format("%04d", i)).put("mdtrt_id", "33000000000000000001")
                    .put("psn_no", "63000000000000000001").put("fee_ocur_time", "2026-06-10 09:00:00")
                    .put("med_list_codg", "XB05AAA448A030869010040").put("medins_list_codg", "H" + i)
                    .put("pric", new BigDecimal("17.76")).put("cnt", new BigDecimal("10"))
                    .put("det_item_fee_sumamt", new BigDecimal("177.60"));
        }
        upload = PARSER.writeValueAsBytes(e);
        Money m = Money.ofYuan("1234.56");
        SettlementAmounts a = new SettlementAmounts(m, m, m, m, m, m, m, new BigDecimal("0.8123"), m, m, m, m, m, m, m, m, m,
                m, m);
        settlement = new Rows.Settlement("33000000000000000001", "SETTLEMENT", Optional.empty(), "SETTLED",
                "33000000000000000001", "63000000000000000001", "成杰", "H33030000001", Admdvs.of("630000"), "310", "1101",
                "21", "H33030000001202611231200000001", LocalDateTime.of(2026, 11, 23, 12, 0), 2026, 1, a,
                "[{\"fund_pay_type\":\"310100\",\"inscp_scp_amt\":1234.56,\"fund_payamt\":1000.00,\"fund_pay_type_name\":\"x\"}]",
                "A=1;M=0;B=0");
    }

    @Benchmark
    public int parseAThirtyLineUploadAndReadEveryField() throws IOException {
        Input envelope = new Input(PARSER.readTree(upload), "");
        envelope.text("infno");
        envelope.text("msgid");
        envelope.admdvs("mdtrtarea_admvs");
        List<Input> lines = envelope.object("input").array("feedetail", 500);
        int n = 0;
        for (Input l : lines) {
            // the forms the upload (2301) checks
            l.text("feedetl_sn", VisitTransactions.SERIAL, "a serial");
            l.text("mdtrt_id", VisitTransactions.SERIAL, "a visit number");
            l.text("psn_no", VisitTransactions.SERIAL, "a person number");
            l.time("fee_ocur_time");
            l.text("med_list_codg", org.medsettle.api.catalogue.CatalogueEntry.CODE, "a national list code");
            l.decimal("pric");
            l.decimal("cnt");
            l.money("det_item_fee_sumamt");
            n++;
        }
        return n;
    }

    @Benchmark
    public byte[] writeASettlementAnswer() throws IOException {
        ObjectNode output = Output.object();
        output.set("setlinfo", Output.setlinfo(settlement));
        JsonNode detail = Output.read(settlement.setldetail());
        output.set("setldetail", detail);
        return Output.JSON.writeValueAsString(output).getBytes(StandardCharsets.UTF_8);
    }
}
