package org.medsettle.insured.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.medsettle.api.ledger.LedgerCheck;
import org.osgi.service.component.annotations.Component;

/**
 * Every top-up of the treatment difference (待遇补差) has exactly its ledger entries, and the ledger has no top-up
 * posting without its top-up: summed over its postings ({@code TOP_UP}, {@code TOP_UP_PAID},
 * {@code TOP_UP_CANCELLED}, {@code TOP_UP_RECOVER}), a RECORDED one has {@code fund:topup} its amount and
 * {@code topup:payable} the opposite; a PAID one {@code fund:topup} its amount, {@code topup:payable} nothing and
 * {@code bank} the opposite; a CANCELLED one nothing anywhere; a RECOVER one {@code topup:recover} its amount and
 * {@code bank} the opposite. Reads the ledger's tables; writes nothing.
 */
@Component
public class TopUpLedgerCheck implements LedgerCheck {

    private static final String KINDS = "('" + TopUpBook.POSTED + "', '" + TopUpBook.PAID + "', '"
            + TopUpBook.CANCELLED + "', '" + TopUpBook.RECOVERED + "')";

    @Override
    public String name() {
        return "top-ups of the treatment difference have exactly their entries";
    }

    private static String sum(String account) {
        return "COALESCE(SUM(CASE WHEN e.account = '" + account + "' THEN e.amount_fen ELSE 0 END), 0)";
    }

    /** A top-up in {@code state} whose entries sum to these on fund:topup, topup:payable, bank, topup:recover. */
    private static String state(String state, String fund, String payable, String bank, String recover) {
        return "(t.state = '" + state + "' AND " + sum("fund:topup") + " = " + fund + " AND " + sum("topup:payable")
                + " = " + payable + " AND " + sum("bank") + " = " + bank + " AND " + sum("topup:recover") + " = "
                + recover + ")";
    }

    @Override
    public List<String> problems(Connection c, int limit) throws SQLException {
        List<String> problems = new ArrayList<>();
        String fen = "CAST(t.top_up_amt * 100 AS BIGINT)";
        String expected = state("RECORDED", fen, "-" + fen, "0", "0") + " OR " + state("PAID", fen, "0", "-" + fen, "0")
                + " OR " + state("CANCELLED", "0", "0", "0", "0") + " OR " + state("RECOVER", "0", "0", "-" + fen, fen);
        LedgerCheck.rows(c, limit, problems,
                "SELECT t.setl_id, t.state FROM insured_top_up t LEFT JOIN ledger_posting p ON p.reference = t.setl_id "
                + "AND p.kind IN " + KINDS + " LEFT JOIN ledger_entry e ON e.posting_id = p.posting_id "
                + "GROUP BY t.setl_id, t.state, t.top_up_amt HAVING NOT (" + expected + ")",
                rs -> "top-up " + rs.getString(1) + " (" + rs.getString(2).strip() + "): its ledger entries differ from "
                        + "its amount and state");
        LedgerCheck.rows(c, limit, problems,
                "SELECT p.kind, p.reference FROM ledger_posting p WHERE p.kind IN " + KINDS + " AND NOT EXISTS "
                + "(SELECT 1 FROM insured_top_up t WHERE t.setl_id = p.reference)",
                rs -> "ledger posting " + rs.getString(1) + " " + rs.getString(2) + " has no such top-up");
        return problems;
    }
}
