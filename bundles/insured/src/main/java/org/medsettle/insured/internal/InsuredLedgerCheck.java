package org.medsettle.insured.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        if (digestsAgree(c)) {
            return problems;
        }
        // something differs: the queries below name what
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

    /**
     * Whether the settlements applied here and the {@code APPLIED}/{@code UNDONE} postings agree, compared as digests
     * in two sequential passes without a sort: per applied settlement its summary (reference, treatment province,
     * fund and account total, {@code hifp}, {@code hifmi}, {@code hifob}, {@code maf}, {@code acct}) as its row holds it
     * and as its {@code APPLIED} posting's entries make it (every {@code owed:} entry of that province, summing to the
     * opposite of the {@code fund:} entries); the same for the undone ones and their {@code UNDONE} postings,
     * negated; and every undone settlement's {@code UNDONE} entries exactly the opposite of its {@code APPLIED} ones.
     * Equal digests and counts mean equal sets (but for a chance of 1 in 2^64); otherwise the queries name what
     * differs.
     */
    static boolean digestsAgree(Connection c) throws SQLException {
        long[] expected = new long[4];
        java.util.Set<String> undone = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.setl_id, i.mdtrtarea_admvs, i.state, "
                + "i.fund_pay_sumamt + i.acct_pay, i.hifp_pay, i.hifmi_pay, i.hifob_pay, i.maf_pay, i.acct_pay FROM "
                + "insured_settlement i WHERE " + APPLIED + " AND " + PAID);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder(rs.getString(1)).append('|')
                        .append(rs.getString(2).substring(0, 2)).append("0000");
                for (int col = 4; col <= 9; col++) {
                    b.append('|').append(rs.getBigDecimal(col).movePointRight(2).longValueExact());
                }
                expected[0] += LedgerCheck.digest("A|" + b);
                expected[1]++;
                if ("UNDONE".equals(rs.getString(3))) {
                    expected[2] += LedgerCheck.digest("U|" + b);
                    expected[3]++;
                    undone.add(rs.getString(1));
                }
            }
        }
        long[] actual = new long[4];
        long[] takenBack = new long[2];
        try (PreparedStatement postings = c.prepareStatement("SELECT posting_id, kind, reference FROM ledger_posting "
                + "WHERE kind IN ('APPLIED', 'UNDONE') ORDER BY posting_id");
             PreparedStatement entries = c.prepareStatement(
                     "SELECT posting_id, account, amount_fen FROM ledger_entry ORDER BY posting_id");
             ResultSet p = postings.executeQuery();
             ResultSet e = entries.executeQuery()) {
            boolean hasE = e.next();
            List<String[]> list = new ArrayList<>();
            while (p.next()) {
                long id = p.getLong(1);
                list.clear();
                while (hasE && e.getLong(1) <= id) {
                    if (e.getLong(1) == id) {
                        list.add(new String[] {e.getString(2), Long.toString(e.getLong(3))});
                    }
                    hasE = e.next();
                }
                boolean applied = "APPLIED".equals(p.getString(2));
                String reference = p.getString(3);
                String summary = summary(reference, list, applied ? 1 : -1);
                if (applied) {
                    actual[0] += LedgerCheck.digest("A|" + summary);
                    actual[1]++;
                    if (undone.contains(reference)) {
                        takenBack[0] += LedgerCheck.digest(reference + entries(list, -1));
                    }
                } else {
                    actual[2] += LedgerCheck.digest("U|" + summary);
                    actual[3]++;
                    takenBack[1] += LedgerCheck.digest(reference + entries(list, 1));
                }
            }
        }
        return java.util.Arrays.equals(expected, actual) && takenBack[0] == takenBack[1];
    }

    /** A posting's summary as an applied settlement's row would give it ({@code sign} -1: an undo, negated). */
    private static String summary(String reference, List<String[]> entries, int sign) {
        long total = 0;
        long owed = 0;
        String province = null;
        boolean consistent = true;
        java.util.Map<String, Long> funds = new java.util.HashMap<>();
        for (String[] entry : entries) {
            long fen = sign * Long.parseLong(entry[1]);
            if (entry[0].startsWith("fund:")) {
                total += fen;
                funds.merge(entry[0].substring(5), fen, Long::sum);
            } else if (entry[0].startsWith("owed:")) {
                owed += fen;
                String p = entry[0].split(":")[1];
                consistent &= province == null || province.equals(p);
                province = p;
            } else {
                consistent = false;
            }
        }
        if (!consistent || owed != -total || province == null) {
            return reference + "|inconsistent";
        }
        StringBuilder b = new StringBuilder(reference).append('|').append(province).append('|').append(total);
        for (String f : new String[] {"hifp", "hifmi", "hifob", "maf", "acct"}) {
            b.append('|').append(funds.getOrDefault(f, 0L));
        }
        return b.toString();
    }

    /** The entries in account order, each amount times {@code sign}. */
    private static String entries(List<String[]> entries, int sign) {
        List<String> sorted = new ArrayList<>();
        for (String[] entry : entries) {
            sorted.add(entry[0] + "=" + (sign * Long.parseLong(entry[1])));
        }
        java.util.Collections.sort(sorted);
        return "|" + String.join("|", sorted);
    }
}
