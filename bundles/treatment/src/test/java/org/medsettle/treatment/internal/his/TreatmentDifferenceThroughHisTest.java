package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.catalogue.HomeCatalogues;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.engine.internal.Reference;

/**
 * The treatment difference (待遇差) before discharge: a pre-settlement (2303) of a stay at 330000 of a person insured
 * in 630000 answers, beside direct settlement, what manual reimbursement at home would pay under 630000's own
 * catalogue. The three examples are README's "Treatment difference", computed there by hand: the bill is the four lines
 * of {@link HisTransactionsTest#fees} (10,986.60; the 720.00 line is not in 330000's catalogue), a TEMPORARY filing
 * (630000's cross-province reduction 0.15), a level-3 hospital (deductible 1,000.00), the first admission of the year.
 */
@org.junit.jupiter.api.Tag("database")
class TreatmentDifferenceThroughHisTest {

    private static final String PSN = HisTransactionsTest.PSN;
    private static final String PSN2 = HisTransactionsTest.PSN2;

    /** 330000's reference catalogue as 630000's own, with some lines as 630000 has them. */
    private static Catalogue home(Map<String, CatalogueEntry> differences) {
        Catalogue base = Reference.catalogue("330000");
        return new Catalogue() {
            public Optional<CatalogueEntry> lookup(String code, LocalDate date) {
                return differences.containsKey(code) ? Optional.ofNullable(differences.get(code)) : base.lookup(code, date);
            }

            public String activeVersion() {
                return "630000 test catalogue";
            }
        };
    }

    private static CatalogueEntry entry(String code, ChargeClass c, String selfpay, String limit) {
        return new CatalogueEntry(code, "test", "drug", c, new BigDecimal(selfpay),
                Optional.ofNullable(limit).map(BigDecimal::new), LocalDate.of(2020, 1, 1), Optional.empty());
    }

    /** The 2303 answer of a discharged stay of {@code psn}, with {@code home} as 630000's catalogue (none: null). */
    private static JsonNode preSettlement(String psn, Catalogue home) {
        Network network = new Network();
        Network.InsuredNode insured = network.insured("630000");
        insured.importPersons(HisTransactionsTest.PERSONS);
        insured.filings.file(new FilingRequest(psn, FilingCategory.TEMPORARY, Admdvs.of("330000"),
                LocalDate.of(2026, 1, 1), Optional.of(LocalDate.of(2026, 12, 31)), "个人承诺", ""),
                Actor.console("agency"), "test");
        Network.TreatmentNode node = network.treatment("330000");
        if (home != null) {
            node.his.setHomeCatalogues(new HomeCatalogues() {
                public Optional<Catalogue> of(Admdvs province) {
                    return province.province().code().equals("630000") ? Optional.of(home) : Optional.empty();
                }

                public List<String> describe() {
                    return List.of("630000: test");
                }
            });
        }
        HisClient his = new HisClient(node, node.hospital(3));
        String mdtrtId = HisClient.ok(his.call("2401", "630000", HisTransactionsTest.admission(psn))).path("result")
                .path("mdtrt_id").asText();
        HisClient.ok(his.call("2301", "630000", HisTransactionsTest.fees(mdtrtId, psn)));
        HisClient.ok(his.call("2402", "630000", HisTransactionsTest.discharge(mdtrtId, psn)));
        JsonNode answer = his.call("2303", "630000", HisTransactionsTest.settlement(mdtrtId, psn, HisTransactionsTest.TOTAL));
        assertEquals("0", answer.path("infcode").asText(), answer.toString());
        return answer;
    }

    private static BigDecimal amount(JsonNode o, String field) {
        return o.path(field).decimalValue().setScale(2);
    }

    @Test
    void example1ALineNotCoveredHereButCoveredAtHomeMakesHomePayMore() {
        JsonNode answer = preSettlement(PSN, home(Map.of("X6690743915000806360837",
                entry("X6690743915000806360837", ChargeClass.A, "0", null))));
        JsonNode direct = answer.path("output").path("setlinfo");
        JsonNode manual = answer.path("output").path("manual_reimbursement");
        // direct: in scope 10,266.60; (10,266.60 − 1,000.00) × (0.85 − 0.15) = 6,486.62
        assertEquals(new BigDecimal("6486.62"), amount(direct, "fund_pay_sumamt"));
        // at home: in scope 10,986.60; (10,986.60 − 1,000.00) × 0.70 = 6,990.62
        assertEquals(new BigDecimal("10986.60"), amount(manual, "inscp_scp_amt"));
        assertEquals(new BigDecimal("6990.62"), amount(manual, "fund_pay_sumamt"));
        assertEquals(new BigDecimal("504.00"), amount(manual, "fund_pay_diff"));
        assertEquals(new BigDecimal("-504.00"), amount(manual, "psn_part_diff"));
        assertEquals("630000 test catalogue", manual.path("insuplc_catalogue").asText());
        String warn = answer.path("warn_msg").asText();
        assertTrue(warn.contains("待遇差") && warn.contains("would pay 6990.62 from the funds, 504.00 more than direct "
                + "settlement here (6486.62)") && warn.contains("3995.98 instead of 4499.98"), warn);
    }

    @Test
    void example2AClassBLineAtHomeMakesHomePayLess() {
        JsonNode answer = preSettlement(PSN, home(Map.of("XL01XAA415A940769565356",
                entry("XL01XAA415A940769565356", ChargeClass.B, "0.10", null))));
        JsonNode manual = answer.path("output").path("manual_reimbursement");
        // at home: first share 10,080.00 × 0.10 = 1,008.00; in scope 10,266.60 − 1,008.00 = 9,258.60;
        // (9,258.60 − 1,000.00) × 0.70 = 5,781.02
        assertEquals(new BigDecimal("1008.00"), amount(manual, "preselfpay_amt"));
        assertEquals(new BigDecimal("5781.02"), amount(manual, "fund_pay_sumamt"));
        assertEquals(new BigDecimal("-705.60"), amount(manual, "fund_pay_diff"));
        assertTrue(answer.path("warn_msg").asText().contains("705.60 less"), answer.toString());
    }

    @Test
    void example3APriceLimitAtHomeForARetiredPerson() {
        JsonNode answer = preSettlement(PSN2, home(Map.of("XB05AAA448A030869010040",
                entry("XB05AAA448A030869010040", ChargeClass.A, "0", "12.00"))));
        JsonNode direct = answer.path("output").path("setlinfo");
        JsonNode manual = answer.path("output").path("manual_reimbursement");
        // retired: 0.90 − 0.15 = 0.75. Direct: (10,266.60 − 1,000.00) × 0.75 = 6,949.95
        assertEquals(new BigDecimal("6949.95"), amount(direct, "fund_pay_sumamt"));
        // at home: (17.76 − 12.00) × 10 = 57.60 over the limit; (10,209.00 − 1,000.00) × 0.75 = 6,906.75
        assertEquals(new BigDecimal("57.60"), amount(manual, "overlmt_selfpay"));
        assertEquals(new BigDecimal("6906.75"), amount(manual, "fund_pay_sumamt"));
        assertEquals(new BigDecimal("-43.20"), amount(manual, "fund_pay_diff"));
    }

    @Test
    void theSameCatalogueAtHomeShowsNoDifferenceAndNoCatalogueNoEstimate() {
        JsonNode same = preSettlement(PSN, home(Map.of()));
        assertEquals(new BigDecimal("0.00"), amount(same.path("output").path("manual_reimbursement"), "fund_pay_diff"));
        assertFalse(same.path("warn_msg").asText().contains("待遇差"), same.toString());
        JsonNode none = preSettlement(PSN, null);
        assertTrue(none.path("output").path("manual_reimbursement").isMissingNode(), none.toString());
        assertFalse(none.path("warn_msg").asText().contains("待遇差"), none.toString());
    }
}
