package org.medsettle.node.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.settlement.Accumulators;
import org.medsettle.api.store.Actor;

/**
 * Every conformance sequence through the HIS interface of a treatment node (the national interface's JSON
 * envelopes), with the person and the filing at their insured node: every amount of every pre-settlement and
 * settlement to the fen; then every settlement reversed, newest first, and the insured node's accumulators and
 * balance back where they started.
 */
class ConformanceThroughHisTest {

    static final String[] AMOUNTS = {"medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
            "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "pool_prop_selfpay", "hifmi_pay", "hifob_pay", "maf_pay",
            "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "balc"};

    private final Network network = new Network();
    private int persons;

    /** The reference sequences, shipped in the engine's test jar. */
    static List<Path> sequences() throws IOException, URISyntaxException {
        URL dir = ConformanceThroughHisTest.class.getResource("/reference/conformance");
        Path path;
        if ("jar".equals(dir.toURI().getScheme())) {
            FileSystem jar;
            try {
                jar = FileSystems.getFileSystem(dir.toURI());
            } catch (FileSystemNotFoundException e) {
                jar = FileSystems.newFileSystem(dir.toURI(), Map.of());
            }
            path = jar.getPath("/reference/conformance");
        } else {
            path = Path.of(dir.toURI());
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySequenceSettlesToTheFenThroughTheHisInterfaceAndReversesToZero() throws Exception {
        List<Path> all = sequences();
        assertEquals(60, all.size());
        return all.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> replay(p)));
    }

    /** A valid ID number (GB 11643 check digit) for the n-th test person of a province. */
    static String certno(String admdvs, int n) {
        String body = admdvs.substring(0, 2) + "0101" + "19600101" + String.format("%03d", n % 1000);
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * w[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    void replay(Path file) throws IOException {
        JsonNode seq;
        try (InputStream in = Files.newInputStream(file)) {
            seq = HisClient.JSON.readTree(in);
        }
        String insured = seq.get("insured_admdvs").asText();
        String treatment = seq.get("treatment_admdvs").asText();
        JsonNode person = seq.get("person");
        persons++;
        String psnNo = insured.substring(0, 2) + String.format("%018d", persons);
        String insutype = person.get("insutype").asText();
        String psnType = switch (person.get("psn_type").asText()) {
            case "retired" -> "1102";
            case "in_service" -> "1101";
            default -> "1501";
        };
        String assistance = person.path("assistance").isNull() ? "" : person.path("assistance").asText("");
        String balance = person.get("opening_balc").asText();
        Network.InsuredNode home = network.insured(insured);
        home.importPersons("psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + psnNo + "," + certno(insured, persons) + ",测试," + "1,1960-01-01," + insutype + "," + psnType + ","
                + assistance + "," + balance + ",\n");
        file(home, psnNo, seq);

        Network.TreatmentNode node = network.treatment(treatment);
        List<String> differences = new ArrayList<>();
        List<String[]> settled = new ArrayList<>();
        int index = 0;
        for (JsonNode visit : seq.get("visits")) {
            index++;
            String where = file.getFileName() + " visit " + index;
            HisClient his = new HisClient(node, node.hospital(visit.get("hosp_lv").asInt()));
            boolean inpatient = "21".equals(visit.get("med_type").asText());
            String admission = visit.get("admission_date").asText();
            String settleDate = visit.get("settle_date").asText();
            String mdtrtId;
            if (inpatient) {
                ObjectNode info = HisClient.object();
                ObjectNode m = info.putObject("mdtrtinfo");
                m.put("psn_no", psnNo);
                m.put("insutype", insutype);
                m.put("begntime", admission + " 00:00:00");
                m.put("mdtrt_cert_type", "02");
                m.put("mdtrt_cert_no", "x");
                m.put("med_type", "21");
                m.put("ipt_no", "ZY" + index);
                m.put("insuplc_admdvs", insured);
                m.put("mdtrtarea_admvs", treatment);
                info.putArray("diseinfo");
                mdtrtId = HisClient.ok(his.call("2401", insured, info)).path("result").path("mdtrt_id").asText();
            } else {
                ObjectNode reg = HisClient.object();
                ObjectNode d = reg.putObject("data");
                d.put("psn_no", psnNo);
                d.put("insutype", insutype);
                d.put("begntime", admission + " 00:00:00");
                d.put("mdtrt_cert_type", "02");
                d.put("mdtrt_cert_no", "x");
                d.put("ipt_otp_no", "MZ" + index);
                mdtrtId = HisClient.ok(his.call("2201", insured, reg)).path("data").path("mdtrt_id").asText();
            }
            ObjectNode upload = HisClient.object();
            ArrayNode lines = upload.putArray("feedetail");
            BigDecimal total = BigDecimal.ZERO;
            for (JsonNode item : visit.get("items")) {
                ObjectNode l = lines.addObject();
                l.put("feedetl_sn", item.get("feedetl_sn").asText());
                l.put("mdtrt_id", mdtrtId);
                l.put("psn_no", psnNo);
                l.put("med_type", visit.get("med_type").asText());
                l.put("fee_ocur_time", item.get("fee_ocur_time").asText());
                l.put("med_list_codg", item.get("med_list_codg").asText());
                l.put("medins_list_codg", "H-" + item.get("med_list_codg").asText());
                l.put("det_item_fee_sumamt", new BigDecimal(item.get("det_item_fee_sumamt").asText()));
                l.put("cnt", new BigDecimal(item.get("cnt").asText()));
                l.put("pric", new BigDecimal(item.get("pric").asText()));
                total = total.add(new BigDecimal(item.get("det_item_fee_sumamt").asText()));
            }
            JsonNode result = HisClient.ok(his.call(inpatient ? "2301" : "2204", insured, upload)).path("result");
            assertEquals(visit.get("items").size(), result.size(), where + ": one result line per fee line");
            if (inpatient) {
                ObjectNode dis = HisClient.object();
                ObjectNode d = dis.putObject("dscginfo");
                d.put("mdtrt_id", mdtrtId);
                d.put("psn_no", psnNo);
                d.put("insutype", insutype);
                d.put("endtime", settleDate + " 18:00:00");
                d.put("dscg_way", "1");
                HisClient.ok(his.call("2402", insured, dis));
            } else {
                assertEquals(admission, settleDate, where + ": an outpatient visit settles on its day");
            }
            ObjectNode setl = HisClient.object();
            ObjectNode d = setl.putObject("data");
            d.put("psn_no", psnNo);
            d.put("mdtrt_cert_type", "02");
            d.put("mdtrt_cert_no", "x");
            d.put("medfee_sumamt", total);
            d.put("psn_setlway", "01");
            d.put("mdtrt_id", mdtrtId);
            d.put("insutype", insutype);
            d.put("acct_used_flag", visit.get("acct_used_flag").asText());
            d.put("mid_setl_flag", "0");
            if (!inpatient) {
                d.put("med_type", visit.get("med_type").asText());
                d.put("chrg_bchno", "B" + index);
            }
            JsonNode pre = HisClient.ok(his.call(inpatient ? "2303" : "2206", insured, setl)).path("setlinfo");
            compare(where + " (pre-settlement)", visit.get("expected"), pre, differences);
            JsonNode info = HisClient.ok(his.call(inpatient ? "2304" : "2207", insured, setl)).path("setlinfo");
            compare(where, visit.get("expected"), info, differences);
            settled.add(new String[] {his.hospital, info.path("setl_id").asText(), mdtrtId, inpatient ? "2305" : "2208"});
        }
        if (!differences.isEmpty()) {
            fail(differences.size() + " differences:\n" + String.join("\n", differences));
        }
        // reverse everything, newest first: the insured node's books return to the opening state
        for (int i = settled.size() - 1; i >= 0; i--) {
            String[] s = settled.get(i);
            HisClient his = new HisClient(node, s[0]);
            ObjectNode rev = HisClient.object();
            ObjectNode d = rev.putObject("data");
            d.put("setl_id", s[1]);
            d.put("mdtrt_id", s[2]);
            d.put("psn_no", psnNo);
            JsonNode out = HisClient.ok(his.call(s[3], insured, rev)).path("setlinfo");
            assertEquals(s[1], s[1]);
            assertEquals(-1, out.path("medfee_sumamt").decimalValue().signum() == 0 ? -1
                    : out.path("medfee_sumamt").decimalValue().signum(), file.getFileName() + ": a reversal negates");
        }
        assertEquals(Money.ofYuan(balance), home.persons.accountBalance(psnNo).orElseThrow(),
                file.getFileName() + ": balance after reversing everything");
        for (JsonNode visit : seq.get("visits")) {
            int year = LocalDate.parse(visit.get("settle_date").asText()).getYear();
            Accumulators acc = home.place.coverage(new org.medsettle.api.insured.CoverageQuery(Admdvs.of(insured),
                    psnNo, Admdvs.of(treatment), LocalDate.parse(visit.get("admission_date").asText()),
                    LocalDate.of(year, 12, 31), org.medsettle.api.model.MedicalType.INPATIENT, false)).accumulators();
            assertEquals(Accumulators.opening(Money.ofYuan(balance)).plus(Accumulators.opening(Money.ZERO)).pools(),
                    acc.pools().entrySet().stream().filter(e -> !e.getValue().inscp().isZero()
                            || !e.getValue().hifpPaid().isZero() || !e.getValue().annualDeductiblePaid().isZero())
                            .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)),
                    file.getFileName() + ": pools back to zero");
            assertEquals(0, acc.inpatientAdmissions());
            assertEquals(Money.ZERO, acc.assistancePaid());
            acc.layers().values().forEach(l -> {
                assertEquals(Money.ZERO, l.axis());
                assertEquals(Money.ZERO, l.paid());
            });
        }
    }

    private void file(Network.InsuredNode home, String psnNo, JsonNode seq) {
        String category = seq.get("filing_category").asText();
        FilingCategory c = "LONG_TERM".equals(category) ? FilingCategory.LONG_TERM_RESIDENT : FilingCategory.valueOf(category);
        LocalDate first = null;
        LocalDate last = null;
        for (JsonNode v : seq.get("visits")) {
            LocalDate a = LocalDate.parse(v.get("admission_date").asText());
            LocalDate s = LocalDate.parse(v.get("settle_date").asText());
            first = first == null || a.isBefore(first) ? a : first;
            last = last == null || s.isAfter(last) ? s : last;
        }
        Optional<LocalDate> to = c.longTerm() ? Optional.empty()
                : Optional.of(last.isAfter(first.plusMonths(6)) ? last : first.plusMonths(6));
        home.filings.file(new FilingRequest(psnNo, c, Admdvs.of(seq.get("treatment_admdvs").asText()), first, to,
                c == FilingCategory.EMERGENCY ? "" : "个人承诺", ""), Actor.console("agency"), "conformance");
    }

    private static void compare(String where, JsonNode expected, JsonNode actual, List<String> differences) {
        for (String field : AMOUNTS) {
            String want = expected.path(field).asText();
            JsonNode got = actual.path(field);
            if (got.isMissingNode() || new BigDecimal(want).compareTo(got.decimalValue()) != 0) {
                differences.add(where + " " + field + ": expected " + want + ", got " + got);
            }
        }
    }
}
