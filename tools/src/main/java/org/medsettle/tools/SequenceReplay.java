package org.medsettle.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Drives a conformance sequence ({@code shared/data/conformance}) through a node's HIS interface, as the hospitals
 * of the sequence would: per visit 2401/2201, 2301/2204, 2402, 2303/2206 and 2304/2207, comparing every amount of
 * the pre-settlement and the settlement with the expected one.
 */
public final class SequenceReplay {

    public static final String[] AMOUNTS = {"medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
            "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "pool_prop_selfpay", "hifmi_pay", "hifob_pay", "maf_pay",
            "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "balc"};

    /** A settlement made, to reverse it later. */
    public record Settled(His his, String setlId, String mdtrtId, String reverseInfno, JsonNode setlinfo) {
    }

    public record Result(List<String> differences, List<Settled> settled) {
    }

    private SequenceReplay() {
    }

    public static JsonNode read(Path file) {
        try {
            return Signed.JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid ID number (GB 11643 check digit) for the n-th made-up person of a province. */
    public static String certno(String province, int n) {
        return withCheckDigit(province.substring(0, 2) + "0101" + "19600101" + String.format("%03d", n % 1000));
    }

    /** {@code body} (the first 17 digits of an ID number) with its GB 11643 check digit. */
    public static String withCheckDigit(String body) {
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * w[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    /** The gender an ID number carries ({@code gend}: 1 when its 17th character is odd, else 2), as GB 11643 has it. */
    public static String gender(String certno) {
        return (certno.charAt(16) - '0') % 2 == 1 ? "1" : "2";
    }

    /** The person of a sequence as a line of the person CSV of its insured node (born 1960-01-01, as the ID number says). */
    public static String personCsvLine(JsonNode seq, String psnNo, String certno) {
        JsonNode person = seq.get("person");
        String insutype = person.get("insutype").asText();
        String psnType = switch (person.get("psn_type").asText()) {
            case "retired" -> "1102";
            case "in_service" -> "1101";
            default -> "1501";
        };
        String assistance = person.path("assistance").isNull() ? "" : person.path("assistance").asText("");
        return psnNo + "," + certno + ",测试," + gender(certno) + ",1960-01-01," + insutype + "," + psnType + "," + assistance + ","
                + person.get("opening_balc").asText() + ",";
    }

    /** The filing of a sequence, for the insured node's filing API: it covers every visit of the sequence. */
    public static ObjectNode filing(JsonNode seq, String psnNo) {
        String category = seq.get("filing_category").asText();
        String c = "LONG_TERM".equals(category) ? "LONG_TERM_RESIDENT" : category;
        LocalDate first = null;
        LocalDate last = null;
        for (JsonNode v : seq.get("visits")) {
            LocalDate a = LocalDate.parse(v.get("admission_date").asText());
            LocalDate s = LocalDate.parse(v.get("settle_date").asText());
            first = first == null || a.isBefore(first) ? a : first;
            last = last == null || s.isAfter(last) ? s : last;
        }
        ObjectNode f = Signed.JSON.createObjectNode();
        f.put("psn_no", psnNo);
        f.put("category", c);
        f.put("mdtrtarea_admvs", seq.get("treatment_admdvs").asText());
        f.put("valid_from", first.toString());
        if (!c.equals("LONG_TERM_RESIDENT")) {
            f.put("valid_to", (last.isAfter(first.plusMonths(6)) ? last : first.plusMonths(6)).toString());
        }
        f.put("evidence", "EMERGENCY".equals(c) ? "" : "个人承诺");
        f.put("reason", seq.path("name").asText("conformance"));
        f.put("operator", "counter-01");
        return f;
    }

    /**
     * Settles every visit of the sequence at the hospitals given by level.
     *
     * @param hospitals the HIS of a hospital of level 1, 2 and 3 at the treatment node
     */
    public static Result replay(JsonNode seq, String psnNo, Map<Integer, ? extends His> hospitals, boolean compare) {
        String name = seq.path("name").asText("sequence");
        String insured = seq.get("insured_admdvs").asText();
        String insutype = seq.get("person").get("insutype").asText();
        List<String> differences = new ArrayList<>();
        List<Settled> settled = new ArrayList<>();
        int index = 0;
        for (JsonNode visit : seq.get("visits")) {
            index++;
            String where = name + " visit " + index;
            His his = hospitals.get(visit.get("hosp_lv").asInt());
            boolean inpatient = "21".equals(visit.get("med_type").asText());
            String admission = visit.get("admission_date").asText();
            String settleDate = visit.get("settle_date").asText();
            String mdtrtId;
            if (inpatient) {
                ObjectNode in = Signed.JSON.createObjectNode();
                ObjectNode m = in.putObject("mdtrtinfo");
                m.put("psn_no", psnNo);
                m.put("insutype", insutype);
                m.put("begntime", admission + " 00:00:00");
                m.put("mdtrt_cert_type", "01");
                m.put("mdtrt_cert_no", psnNo);
                m.put("med_type", "21");
                m.put("ipt_no", "ZY" + index);
                m.put("insuplc_admdvs", insured);
                in.putArray("diseinfo");
                mdtrtId = HisClient.ok(his.call("2401", insured, in)).path("result").path("mdtrt_id").asText();
            } else {
                ObjectNode in = Signed.JSON.createObjectNode();
                ObjectNode d = in.putObject("data");
                d.put("psn_no", psnNo);
                d.put("insutype", insutype);
                d.put("begntime", admission + " 00:00:00");
                d.put("mdtrt_cert_type", "01");
                d.put("mdtrt_cert_no", psnNo);
                d.put("ipt_otp_no", "MZ" + index);
                mdtrtId = HisClient.ok(his.call("2201", insured, in)).path("data").path("mdtrt_id").asText();
            }
            ObjectNode upload = Signed.JSON.createObjectNode();
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
            HisClient.ok(his.call(inpatient ? "2301" : "2204", insured, upload));
            if (inpatient) {
                ObjectNode in = Signed.JSON.createObjectNode();
                ObjectNode d = in.putObject("dscginfo");
                d.put("mdtrt_id", mdtrtId);
                d.put("psn_no", psnNo);
                d.put("insutype", insutype);
                d.put("endtime", settleDate + " 18:00:00");
                d.put("dscg_way", "1");
                HisClient.ok(his.call("2402", insured, in));
            }
            ObjectNode setl = Signed.JSON.createObjectNode();
            ObjectNode d = setl.putObject("data");
            d.put("psn_no", psnNo);
            d.put("mdtrt_cert_type", "01");
            d.put("mdtrt_cert_no", psnNo);
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
            JsonNode info = HisClient.ok(his.call(inpatient ? "2304" : "2207", insured, setl)).path("setlinfo");
            if (compare) {
                compare(where + " (pre-settlement)", visit.get("expected"), pre, differences);
                compare(where, visit.get("expected"), info, differences);
            }
            settled.add(new Settled(his, info.path("setl_id").asText(), mdtrtId, inpatient ? "2305" : "2208", info));
        }
        return new Result(differences, settled);
    }

    /** Reverses a settlement; answers the reversal's setlinfo. */
    public static JsonNode reverse(Settled s, String psnNo, String insured) {
        ObjectNode in = Signed.JSON.createObjectNode();
        ObjectNode d = in.putObject("data");
        d.put("setl_id", s.setlId());
        d.put("mdtrt_id", s.mdtrtId());
        d.put("psn_no", psnNo);
        return HisClient.ok(s.his().call(s.reverseInfno(), insured, in)).path("setlinfo");
    }

    private static void compare(String where, JsonNode expected, JsonNode actual, List<String> differences) {
        for (String field : AMOUNTS) {
            String want = expected.path(field).asText();
            JsonNode got = actual.path(field);
            if (got.isMissingNode() || !got.isNumber() || new BigDecimal(want).compareTo(got.decimalValue()) != 0) {
                differences.add(where + " " + field + ": expected " + want + ", got " + got);
            }
        }
    }
}
