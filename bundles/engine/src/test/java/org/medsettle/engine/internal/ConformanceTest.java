package org.medsettle.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.MedicalType;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;

/**
 * Every conformance sequence of the specification, replayed at engine level: each visit settled in order with
 * the person's accumulators, every {@code setlinfo} amount compared to the fen.
 */
class ConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final DateTimeFormatter FEE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final RulesEngine engine = new RulesEngine();

    static List<Path> sequences() {
        URL dir = ConformanceTest.class.getResource("/reference/conformance");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void allSixtySequencesAreThere() {
        assertEquals(60, sequences().size());
    }

    @TestFactory
    Stream<DynamicTest> everySequenceSettlesToTheFen() {
        return sequences().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> replay(p)));
    }

    /** Settles every visit of a sequence in order; fails listing every amount that differs. */
    void replay(Path file) throws IOException {
        JsonNode seq;
        try (InputStream in = Files.newInputStream(file)) {
            seq = JSON.readTree(in);
        }
        JsonNode person = seq.get("person");
        String insured = seq.get("insured_admdvs").asText();
        String treatment = seq.get("treatment_admdvs").asText();
        InsuranceType insutype = InsuranceType.ofCode(person.get("insutype").asText());
        boolean retired = "retired".equals(person.get("psn_type").asText());
        JsonNode assistanceNode = person.get("assistance");
        Assistance assistance = Assistance.ofCode(assistanceNode == null || assistanceNode.isNull() ? "" : assistanceNode.asText());
        FilingCategory category = filingCategory(seq.get("filing_category").asText());
        Money balance = Money.ofYuan(person.get("opening_balc").asText());
        Map<Integer, Accumulators> years = new HashMap<>();
        List<String> differences = new ArrayList<>();
        int index = 0;
        for (JsonNode visit : seq.get("visits")) {
            index++;
            LocalDate settleDate = LocalDate.parse(visit.get("settle_date").asText());
            int year = settleDate.getYear();
            Accumulators before = years.getOrDefault(year, Accumulators.opening(Money.ZERO));
            before = new Accumulators(before.pools(), before.inpatientAdmissions(), before.layers(), before.assistancePaid(), balance);
            SettlementInput input = new SettlementInput(Reference.policy(insured), Reference.catalogue(treatment), insutype,
                    retired, assistance, category, MedicalType.ofCode(visit.get("med_type").asText()),
                    Integer.parseInt(visit.get("hosp_lv").asText()), settleDate, "1".equals(visit.get("acct_used_flag").asText()),
                    items(visit.get("items")), before);
            SettlementOutcome outcome = engine.settle(input);
            compare(file.getFileName() + " visit " + index, visit.get("expected"), outcome.amounts(), differences, outcome);
            Accumulators after = before.plus(outcome.change());
            years.put(year, after);
            if (insutype == InsuranceType.EMPLOYEE) {
                balance = after.accountBalance();
            }
        }
        if (!differences.isEmpty()) {
            fail(differences.size() + " differences:\n" + String.join("\n", differences));
        }
    }

    static FilingCategory filingCategory(String text) {
        return "LONG_TERM".equals(text) ? FilingCategory.LONG_TERM_RESIDENT : FilingCategory.valueOf(text);
    }

    static List<FeeLine> items(JsonNode items) {
        List<FeeLine> lines = new ArrayList<>();
        for (JsonNode item : items) {
            lines.add(new FeeLine(item.get("feedetl_sn").asText(), item.get("med_list_codg").asText(),
                    LocalDateTime.parse(item.get("fee_ocur_time").asText(), FEE_TIME), new BigDecimal(item.get("pric").asText()),
                    new BigDecimal(item.get("cnt").asText()), Money.ofYuan(item.get("det_item_fee_sumamt").asText())));
        }
        return lines;
    }

    private static void compare(String where, JsonNode expected, SettlementAmounts a, List<String> differences, SettlementOutcome outcome) {
        Map<String, String> actual = new HashMap<>();
        actual.put("medfee_sumamt", a.medfeeSumamt().toString());
        actual.put("fulamt_ownpay_amt", a.fulamtOwnpayAmt().toString());
        actual.put("overlmt_selfpay", a.overlmtSelfpay().toString());
        actual.put("preselfpay_amt", a.preselfpayAmt().toString());
        actual.put("inscp_scp_amt", a.inscpScpAmt().toString());
        actual.put("act_pay_dedc", a.actPayDedc().toString());
        actual.put("hifp_pay", a.hifpPay().toString());
        actual.put("pool_prop_selfpay", a.poolPropSelfpay().toPlainString());
        actual.put("cvlserv_pay", a.cvlservPay().toString());
        actual.put("hifes_pay", a.hifesPay().toString());
        actual.put("hifmi_pay", a.hifmiPay().toString());
        actual.put("hifob_pay", a.hifobPay().toString());
        actual.put("maf_pay", a.mafPay().toString());
        actual.put("oth_pay", a.othPay().toString());
        actual.put("fund_pay_sumamt", a.fundPaySumamt().toString());
        actual.put("psn_part_amt", a.psnPartAmt().toString());
        actual.put("acct_pay", a.acctPay().toString());
        actual.put("psn_cash_pay", a.psnCashPay().toString());
        actual.put("balc", a.balc().toString());
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String mine = actual.get(e.getKey());
            if (mine == null) {
                differences.add(where + ": expected field " + e.getKey() + " is not computed");
                any = true;
            } else if (new BigDecimal(mine).compareTo(new BigDecimal(e.getValue().asText())) != 0) {
                differences.add(where + ": " + e.getKey() + " expected " + e.getValue().asText() + " but was " + mine);
                any = true;
            }
        }
        if (any) {
            differences.add("  explanation: " + String.join("\n    ", outcome.explanation()));
        }
    }
}
