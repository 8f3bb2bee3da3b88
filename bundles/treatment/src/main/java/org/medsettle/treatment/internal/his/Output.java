package org.medsettle.treatment.internal.his;

import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Money;
import org.medsettle.api.his.VisitFees;
import org.medsettle.api.model.SettlementAmounts;
import org.medsettle.api.settlement.FundPayment;
import org.medsettle.api.settlement.ItemSplit;

/** The output objects of the national interface, amounts as JSON numbers with two decimals. */
final class Output {

    /** Amounts keep their two decimals both ways: read as exact decimals, never as doubles, never normalised. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Output() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static BigDecimal yuan(Money m) {
        return m.toYuan();
    }

    /** {@code setlinfo} of a settlement (or pre-settlement, or reversal). */
    static ObjectNode setlinfo(Rows.Settlement s) {
        ObjectNode o = object();
        o.put("setl_id", s.setlId());
        o.put("mdtrt_id", s.mdtrtId());
        o.put("psn_no", s.psnNo());
        o.put("psn_name", s.psnName());
        o.put("insutype", s.insutype());
        o.put("psn_type", s.psnType());
        o.put("setl_time", TIME.format(s.setlTime()));
        o.put("med_type", s.medType());
        amounts(o, s.amounts());
        o.put("clr_optins", s.insuredPlace().code());
        o.put("clr_way", "1");
        o.put("clr_type", "21".equals(s.medType()) ? "21" : "11");
        return o;
    }

    /**
     * {@code manual_reimbursement} of a pre-settlement: what manual reimbursement at home would pay under the insured
     * province's own catalogue (its amounts, named as in {@code setlinfo}), the catalogue, and the differences to
     * direct settlement ({@code fund_pay_diff} = its {@code fund_pay_sumamt} − direct settlement's; positive: home would
     * pay more; {@code psn_part_diff} likewise for the patient's part).
     */
    static ObjectNode manualReimbursement(SettlementAmounts direct, SettlementAmounts manual, String catalogue) {
        ObjectNode o = object();
        o.put("insuplc_catalogue", catalogue);
        amounts(o, manual);
        o.remove("balc");
        o.put("fund_pay_diff", yuan(manual.fundPaySumamt().minus(direct.fundPaySumamt())));
        o.put("psn_part_diff", yuan(manual.psnPartAmt().minus(direct.psnPartAmt())));
        return o;
    }

    static void amounts(ObjectNode o, SettlementAmounts a) {
        o.put("medfee_sumamt", yuan(a.medfeeSumamt()));
        o.put("fulamt_ownpay_amt", yuan(a.fulamtOwnpayAmt()));
        o.put("overlmt_selfpay", yuan(a.overlmtSelfpay()));
        o.put("preselfpay_amt", yuan(a.preselfpayAmt()));
        o.put("inscp_scp_amt", yuan(a.inscpScpAmt()));
        o.put("act_pay_dedc", yuan(a.actPayDedc()));
        o.put("hifp_pay", yuan(a.hifpPay()));
        o.put("pool_prop_selfpay", a.poolPropSelfpay());
        o.put("cvlserv_pay", yuan(a.cvlservPay()));
        o.put("hifes_pay", yuan(a.hifesPay()));
        o.put("hifmi_pay", yuan(a.hifmiPay()));
        o.put("hifob_pay", yuan(a.hifobPay()));
        o.put("maf_pay", yuan(a.mafPay()));
        o.put("oth_pay", yuan(a.othPay()));
        o.put("fund_pay_sumamt", yuan(a.fundPaySumamt()));
        o.put("psn_part_amt", yuan(a.psnPartAmt()));
        o.put("acct_pay", yuan(a.acctPay()));
        o.put("psn_cash_pay", yuan(a.psnCashPay()));
        o.put("balc", yuan(a.balc()));
    }

    static ArrayNode setldetail(List<FundPayment> details, boolean negate) {
        ArrayNode a = JSON.createArrayNode();
        for (FundPayment d : details) {
            ObjectNode o = a.addObject();
            o.put("fund_pay_type", d.fundPayType());
            o.put("inscp_scp_amt", yuan(negate ? d.inscpScpAmt().negate() : d.inscpScpAmt()));
            o.put("fund_payamt", yuan(negate ? d.fundPayamt().negate() : d.fundPayamt()));
            o.put("fund_pay_type_name", d.fundPayTypeName());
        }
        return a;
    }

    static String setldetailJson(List<FundPayment> details) {
        return setldetail(details, false).toString();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }

    /** A {@code 2301} result line. */
    static ObjectNode feeResult(VisitFees.Line f, ItemSplit split) {
        ObjectNode o = object();
        o.put("feedetl_sn", f.feedetlSn());
        o.put("det_item_fee_sumamt", yuan(f.amount()));
        o.put("cnt", f.cnt());
        o.put("pric", f.pric());
        split.priceLimit().ifPresentOrElse(p -> o.put("pric_uplmt_amt", p), () -> o.putNull("pric_uplmt_amt"));
        o.put("selfpay_prop", split.selfpayProp());
        o.put("fulamt_ownpay_amt", yuan(split.fulamtOwnpay()));
        o.put("overlmt_amt", yuan(split.overlmtSelfpay()));
        o.put("preselfpay_amt", yuan(split.preselfpay()));
        o.put("inscp_scp_amt", yuan(split.inscp()));
        o.put("chrgitm_lv", split.chrgitmLv());
        o.put("med_chrgitm_type", "");
        return o;
    }
}
