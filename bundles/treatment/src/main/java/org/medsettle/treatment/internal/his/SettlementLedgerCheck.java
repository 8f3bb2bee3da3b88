package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.medsettle.api.ledger.LedgerCheck;
import org.osgi.service.component.annotations.Component;

/**
 * Every settlement committed at this place of treatment has exactly its ledger entries, and the ledger has no
 * treatment posting without its settlement: a settlement or reversal that is {@code SETTLED}, {@code REVERSED} or
 * {@code CORRECTED} and of which a fund paid something has its {@code SETTLED} posting — per fund, on the account
 * {@code claim:<its insured province>:<fund>} exactly its amount, on {@code hospital:<its hospital>} the opposite of
 * their sum, nothing else; a {@code CORRECTED} one also its {@code CORRECTED} posting, which takes every entry back. Reads the
 * ledger's tables; writes nothing.
 */
@Component
public class SettlementLedgerCheck implements LedgerCheck {

    private static final String FUNDS = "s.hifp_pay <> 0 OR s.cvlserv_pay <> 0 OR s.hifes_pay <> 0 OR s.hifmi_pay <> 0 "
            + "OR s.hifob_pay <> 0 OR s.maf_pay <> 0 OR s.oth_pay <> 0 OR s.acct_pay <> 0";
    private static final String COMMITTED = "s.state IN ('SETTLED', 'REVERSED', 'CORRECTED')";
    private static final String[][] FUND_COLUMNS = {{"hifp", "hifp_pay"}, {"cvlserv", "cvlserv_pay"},
            {"hifes", "hifes_pay"}, {"hifmi", "hifmi_pay"}, {"hifob", "hifob_pay"}, {"maf", "maf_pay"},
            {"oth", "oth_pay"}, {"acct", "acct_pay"}};

    @Override
    public String name() {
        return "settlements at the place of treatment have exactly their entries";
    }

    @Override
    public List<String> problems(Connection c, int limit) throws SQLException {
        List<String> problems = new ArrayList<>();
        query(c, limit, problems, "SELECT s.setl_id, s.state FROM settlement s WHERE " + COMMITTED + " AND (" + FUNDS
                + ") AND NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.kind = 'SETTLED' AND p.reference = s.setl_id)",
                rs -> "settlement " + rs.getString(1) + " (" + rs.getString(2) + ") has no ledger entries");
        query(c, limit, problems, "SELECT s.setl_id FROM settlement s WHERE s.state = 'CORRECTED' AND (" + FUNDS
                + ") AND NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.kind = 'CORRECTED' AND p.reference = s.setl_id)",
                rs -> "settlement " + rs.getString(1) + " was corrected but its entries were not taken back");
        query(c, limit, problems, "SELECT p.kind, p.reference FROM ledger_posting p WHERE p.kind IN ('SETTLED', "
                + "'CORRECTED') AND NOT EXISTS (SELECT 1 FROM settlement s WHERE s.setl_id = p.reference AND "
                + "(p.kind = 'SETTLED' AND " + COMMITTED + " OR p.kind = 'CORRECTED' AND s.state = 'CORRECTED'))",
                rs -> "ledger posting " + rs.getString(1) + " " + rs.getString(2) + " has no such settlement here");
        // the amounts: per fund on the claim on the settlement's insured province, the sum on its hospital, and no
        // other entry (a count of two per fund that paid)
        StringBuilder sql = new StringBuilder("SELECT s.setl_id FROM settlement s JOIN ledger_posting p ON p.kind = "
                + "'SETTLED' AND p.reference = s.setl_id JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE "
                + COMMITTED + " GROUP BY s.setl_id, s.insuplc_admdvs, s.fixmedins_code");
        StringBuilder having = new StringBuilder();
        StringBuilder count = new StringBuilder("0");
        StringBuilder total = new StringBuilder("0");
        for (String[] f : FUND_COLUMNS) {
            sql.append(", s.").append(f[1]);
            having.append(" OR SUM(CASE WHEN e.account = 'claim:' || SUBSTR(s.insuplc_admdvs, 1, 2) || '0000:")
                    .append(f[0]).append("' THEN e.amount_fen ELSE 0 END) <> CAST(s.").append(f[1])
                    .append(" * 100 AS BIGINT)");
            count.append(" + CASE WHEN s.").append(f[1]).append(" <> 0 THEN 1 ELSE 0 END");
            total.append(" + s.").append(f[1]);
        }
        // one entry per fund that paid, and one for the hospital unless they net to zero
        count.append(" + CASE WHEN ").append(total).append(" <> 0 THEN 1 ELSE 0 END");
        sql.append(" HAVING COUNT(*) <> ").append(count)
                .append(" OR SUM(CASE WHEN e.account = 'hospital:' || s.fixmedins_code THEN e.amount_fen ELSE 0 END) "
                        + "<> -CAST((").append(total).append(") * 100 AS BIGINT)")
                .append(having);
        query(c, limit, problems, sql.toString(),
                rs -> "settlement " + rs.getString(1) + ": its ledger entries differ from its amounts");
        query(c, limit, problems, "SELECT p.reference FROM ledger_posting p JOIN ledger_entry e ON e.posting_id = "
                + "p.posting_id WHERE p.kind IN ('SETTLED', 'CORRECTED') AND EXISTS (SELECT 1 FROM settlement s WHERE "
                + "s.setl_id = p.reference AND s.state = 'CORRECTED') GROUP BY p.reference, e.account "
                + "HAVING SUM(e.amount_fen) <> 0",
                rs -> "corrected settlement " + rs.getString(1) + ": its correction does not take back every entry");
        return problems;
    }

    @FunctionalInterface
    private interface Line {
        String of(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, int limit, List<String> problems, String sql, Line line)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problems.add(line.of(rs));
                }
            }
        }
    }
}
