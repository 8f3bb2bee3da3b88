package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.model.SettlementAmounts;

/**
 * The top-up of the treatment difference (待遇补差) one settlement carries: the insured province's policy pays one,
 * and manual reimbursement at home under its own catalogue (参保地目录) would have paid more from the funds than
 * direct settlement here. Decided when the settlement is computed, kept with it (table {@code settlement_top_up},
 * this bundle's own), told to the hospital in {@code manual_reimbursement.top_up_amt} and sent to the insured
 * province as notice {@code TOP_UP} in the settlement's commit; the insured province pays it after the month's
 * clearing.
 *
 * @param amount        what the insured province pays the person
 * @param directFundPay what direct settlement paid from the funds here
 * @param manualFundPay what manual reimbursement at home would have paid from the funds
 * @param policyVersion the insured province's policy version that pays it
 * @param policyDate    the date that version was chosen by (a stay's discharge, an outpatient visit's day)
 * @param catalogue     the insured province's catalogue it was computed with
 * @param manual        {@code manual_reimbursement} as told to the hospital (JSON)
 */
record SettlementTopUp(Money amount, Money directFundPay, Money manualFundPay, String policyVersion,
                       java.time.LocalDate policyDate, String catalogue, String manual) {

    /** The notice type the insured node records top-ups from. */
    static final String NOTICE = "TOP_UP";

    static SettlementTopUp of(Money amount, SettlementAmounts direct, SettlementAmounts manualAmounts,
                              String policyVersion, java.time.LocalDate policyDate, String catalogue) {
        ObjectNode manual = Output.manualReimbursement(direct, manualAmounts, catalogue);
        manual.put("top_up_amt", amount.toYuan());
        // the catalogue's description as kept and sent: at most 300 characters
        return new SettlementTopUp(amount, direct.fundPaySumamt(), manualAmounts.fundPaySumamt(), policyVersion,
                policyDate, catalogue.length() > 300 ? catalogue.substring(0, 300) : catalogue, manual.toString());
    }

    /** The sentence for {@code warn_msg} of the settlement. */
    String warning(Admdvs insured) {
        return "待遇补差 (treatment-difference top-up): " + insured.province() + " pays the patient " + amount
                + " after the month's clearing (清算), as its policy " + policyVersion + " provides: manual "
                + "reimbursement there under its own catalogue (参保地目录) would pay " + manualFundPay
                + " from the funds, direct settlement here paid " + directFundPay
                + " (output.manual_reimbursement.top_up_amt)";
    }

    /** Kept with settlement {@code setlId}, in the transaction that writes it. */
    void insert(Connection c, String setlId, Admdvs insured, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO settlement_top_up (setl_id, insuplc_admdvs, "
                + "top_up_amt, direct_fund_pay, manual_fund_pay, policy_version, policy_date, catalogue, manual, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, setlId);
            ps.setString(2, insured.province().code());
            ps.setBigDecimal(3, amount.toYuan());
            ps.setBigDecimal(4, directFundPay.toYuan());
            ps.setBigDecimal(5, manualFundPay.toYuan());
            ps.setString(6, policyVersion);
            ps.setDate(7, java.sql.Date.valueOf(policyDate));
            ps.setString(8, catalogue);
            ps.setString(9, manual);
            ps.setTimestamp(10, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** The top-up kept with settlement {@code setlId}, if it carries one. */
    static Optional<SettlementTopUp> of(Connection c, String setlId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT top_up_amt, direct_fund_pay, manual_fund_pay, "
                + "policy_version, policy_date, catalogue, manual FROM settlement_top_up WHERE setl_id = ?")) {
            ps.setString(1, setlId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SettlementTopUp(Money.ofYuan(rs.getBigDecimal(1)),
                        Money.ofYuan(rs.getBigDecimal(2)), Money.ofYuan(rs.getBigDecimal(3)), rs.getString(4),
                        rs.getDate(5).toLocalDate(), rs.getString(6), rs.getString(7))) : Optional.empty();
            }
        }
    }

    /** The notice to the insured province, enqueued in the settlement's commit (after its CONFIRM). */
    HubMessage notice(Rows.Settlement s, Admdvs node) {
        ObjectNode body = Output.object();
        body.put("setl_id", s.setlId());
        body.put("psn_no", s.psnNo());
        body.put("mdtrt_id", s.mdtrtId());
        body.put("fixmedins_code", s.hospital());
        body.put("med_type", s.medType());
        body.put("setl_time", Output.TIME.format(s.setlTime()));
        body.put("top_up_amt", amount.toYuan());
        body.put("direct_fund_pay", directFundPay.toYuan());
        body.put("manual_fund_pay", manualFundPay.toYuan());
        body.put("policy_version", policyVersion);
        body.put("policy_date", policyDate.toString());
        body.put("catalogue", catalogue);
        return new HubMessage("TOPUP-" + s.setlId(), NOTICE, node, s.insuredPlace().province(), body.toString());
    }
}
