package org.medsettle.insured.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.medsettle.api.ledger.LedgerCheck;
import org.osgi.service.component.annotations.Component;

/**
 * Every settlement applied at this insured place has exactly its ledger entries, and the ledger has no insured-place
 * posting without its settlement: an applied (or confirmed, or undone) settlement of which a fund paid something has
 * its {@code APPLIED} posting — {@code fund:hifp}, {@code fund:hifmi}, {@code fund:hifob}, {@code fund:maf},
 * {@code fund:acct} exactly its amounts, all {@code fund:} entries together its fund and account payments, the same
 * owed to its treatment province ({@code owed:<province>:<fund>}); an undone one also its {@code UNDONE} posting,
 * which takes every entry back. Reads the ledger's tables; writes nothing.
 */
@Component
public class InsuredLedgerCheck implements LedgerCheck {

    private static final String PAID = "(i.fund_pay_sumamt <> 0 OR i.acct_pay <> 0)";
    private static final String APPLIED = "i.state IN ('APPLIED', 'CONFIRMED', 'UNDONE') AND i.psn_no <> ''";

    @Override
    public String name() {
        return "settlements applied at the insured place have exactly their entries";
    }

    @Override
    public List<String> problems(Connection c, int limit) throws SQLException {
        List<String> problems = new ArrayList<>();
        LedgerCheck.rows(c, limit, problems,
                "SELECT i.setl_id FROM insured_settlement i WHERE " + APPLIED + " AND " + PAID
                + " AND NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.kind = 'APPLIED' AND p.reference = i.setl_id)",
                rs -> "applied settlement " + rs.getString(1) + " has no ledger entries");
        LedgerCheck.rows(c, limit, problems,
                "SELECT i.setl_id FROM insured_settlement i WHERE i.state = 'UNDONE' AND "
                + "i.psn_no <> '' AND " + PAID + " AND NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.kind = "
                + "'UNDONE' AND p.reference = i.setl_id)",
                rs -> "undone settlement " + rs.getString(1) + ": its entries were not taken back");
        LedgerCheck.rows(c, limit, problems,
                "SELECT p.kind, p.reference FROM ledger_posting p WHERE p.kind IN ('APPLIED', "
                + "'UNDONE') AND NOT EXISTS (SELECT 1 FROM insured_settlement i WHERE i.setl_id = p.reference AND "
                + "(p.kind = 'APPLIED' AND " + APPLIED + " OR p.kind = 'UNDONE' AND i.state = 'UNDONE'))",
                rs -> "ledger posting " + rs.getString(1) + " " + rs.getString(2) + " has no such applied settlement");
        String owed = "'owed:' || SUBSTR(i.mdtrtarea_admvs, 1, 2) || '0000:'";
        StringBuilder having = new StringBuilder("SUM(CASE WHEN e.account LIKE 'fund:%' THEN e.amount_fen ELSE 0 END) "
                + "<> CAST((i.fund_pay_sumamt + i.acct_pay) * 100 AS BIGINT) OR SUM(CASE WHEN e.account LIKE "
                + "'owed:%' THEN e.amount_fen ELSE 0 END) <> -CAST((i.fund_pay_sumamt + i.acct_pay) * 100 AS BIGINT) "
                + "OR SUM(CASE WHEN e.account LIKE 'owed:%' AND e.account NOT LIKE " + owed + " || '%' THEN 1 ELSE 0 "
                + "END) <> 0");
        for (String f : new String[] {"hifp", "hifmi", "hifob", "maf", "acct"}) {
            having.append(" OR SUM(CASE WHEN e.account = 'fund:").append(f).append("' THEN e.amount_fen ELSE 0 END) <> "
                    + "CAST(i.").append(f).append("_pay * 100 AS BIGINT)");
        }
        LedgerCheck.rows(c, limit, problems,
                "SELECT i.setl_id FROM insured_settlement i JOIN ledger_posting p ON p.kind = "
                + "'APPLIED' AND p.reference = i.setl_id JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE "
                + APPLIED + " GROUP BY i.setl_id, i.mdtrtarea_admvs, i.fund_pay_sumamt, i.acct_pay, i.hifp_pay, "
                + "i.hifmi_pay, i.hifob_pay, i.maf_pay HAVING " + having,
                rs -> "applied settlement " + rs.getString(1) + ": its ledger entries differ from its amounts");
        LedgerCheck.rows(c, limit, problems,
                "SELECT p.reference FROM ledger_posting p JOIN ledger_entry e ON e.posting_id = "
                + "p.posting_id WHERE p.kind IN ('APPLIED', 'UNDONE') AND EXISTS (SELECT 1 FROM insured_settlement i "
                + "WHERE i.setl_id = p.reference AND i.state = 'UNDONE') GROUP BY p.reference, e.account "
                + "HAVING SUM(e.amount_fen) <> 0",
                rs -> "undone settlement " + rs.getString(1) + ": its undo does not take back every entry");
        return problems;
    }
}
