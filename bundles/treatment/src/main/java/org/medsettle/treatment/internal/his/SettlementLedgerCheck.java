package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.ledger.LedgerCheck;
import org.medsettle.api.ledger.Posting;
import org.medsettle.api.model.SettlementAmounts;
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

    @Override
    public String name() {
        return "settlements at the place of treatment have exactly their entries";
    }

    @Override
    public List<String> problems(Connection c, int limit) throws SQLException {
        List<String> problems = new ArrayList<>();
        if (!digestsAgree(c)) {
            // something differs: the ordered comparison names what
            settledPostings(c, limit, problems);
        }
        LedgerCheck.rows(c, limit, problems,
                "SELECT s.setl_id FROM settlement s WHERE s.state = 'CORRECTED' AND (" + FUNDS
                + ") AND NOT EXISTS (SELECT 1 FROM ledger_posting p WHERE p.kind = 'CORRECTED' AND p.reference = s.setl_id)",
                rs -> "settlement " + rs.getString(1) + " was corrected but its entries were not taken back");
        LedgerCheck.rows(c, limit, problems,
                "SELECT p.kind, p.reference FROM ledger_posting p WHERE p.kind = 'CORRECTED' AND NOT "
                + "EXISTS (SELECT 1 FROM settlement s WHERE s.setl_id = p.reference AND s.state = 'CORRECTED')",
                rs -> "ledger posting " + rs.getString(1) + " " + rs.getString(2) + " has no such settlement here");
        LedgerCheck.rows(c, limit, problems,
                "SELECT p.reference FROM ledger_posting p JOIN ledger_entry e ON e.posting_id = "
                + "p.posting_id WHERE p.kind IN ('SETTLED', 'CORRECTED') AND EXISTS (SELECT 1 FROM settlement s WHERE "
                + "s.setl_id = p.reference AND s.state = 'CORRECTED') GROUP BY p.reference, e.account "
                + "HAVING SUM(e.amount_fen) <> 0",
                rs -> "corrected settlement " + rs.getString(1) + ": its correction does not take back every entry");
        return problems;
    }

    /**
     * Whether the committed settlements and the {@code SETTLED} postings are the same set, compared as digests: each
     * settlement's expected posting ({@link Posting#atTreatment} of its amounts) and each posting as written, hashed
     * (SHA-256 of its reference and its entries in account order, 64 bits of it) and summed modulo 2^64, with their
     * counts. Two sequential passes and no sort: the settlements in any order; the postings and their entries each in
     * posting order, merged. Equal digests and counts mean equal sets (a chance difference is 1 in 2^64 per check);
     * anything else runs the ordered comparison, which names every difference.
     */
    static boolean digestsAgree(Connection c) throws SQLException {
        Digest digest = new Digest();
        long expected = 0;
        long expectedCount = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT s.setl_id, s.state, s.insuplc_admdvs, s.fixmedins_code, "
                + "s.hifp_pay, s.cvlserv_pay, s.hifes_pay, s.hifmi_pay, s.hifob_pay, s.maf_pay, s.oth_pay, s.acct_pay "
                + "FROM settlement s WHERE " + COMMITTED);
             ResultSet s = ps.executeQuery()) {
            while (s.next()) {
                List<Posting.Entry> entries = expected(s);
                if (!entries.isEmpty()) {
                    expected += digest.of(s.getString(1), entries);
                    expectedCount++;
                }
            }
        }
        long actual = 0;
        long actualCount = 0;
        try (PreparedStatement postings = c.prepareStatement(
                "SELECT posting_id, kind, reference FROM ledger_posting ORDER BY posting_id");
             PreparedStatement entries = c.prepareStatement(
                     "SELECT posting_id, account, amount_fen FROM ledger_entry ORDER BY posting_id");
             ResultSet p = postings.executeQuery();
             ResultSet e = entries.executeQuery()) {
            boolean hasE = e.next();
            List<Posting.Entry> list = new ArrayList<>();
            while (p.next()) {
                long id = p.getLong(1);
                boolean settled = Posting.SETTLED.equals(p.getString(2));
                list.clear();
                while (hasE && e.getLong(1) <= id) {
                    if (e.getLong(1) == id && settled) {
                        list.add(new Posting.Entry(e.getString(2), e.getLong(3)));
                    }
                    hasE = e.next();
                }
                if (settled) {
                    actual += digest.of(p.getString(3), list);
                    actualCount++;
                }
            }
        }
        return expected == actual && expectedCount == actualCount;
    }

    /** 64 bits of the SHA-256 of a posting's reference and its entries in account order. */
    static final class Digest {
        long of(String reference, List<Posting.Entry> entries) {
            List<Posting.Entry> sorted = new ArrayList<>(entries);
            sorted.sort(BY_ACCOUNT);
            StringBuilder b = new StringBuilder(reference);
            for (Posting.Entry entry : sorted) {
                b.append('|').append(entry.account()).append('=').append(entry.fen());
            }
            return LedgerCheck.digest(b.toString());
        }
    }

    /**
     * The committed settlements (by {@code setl_id}) and the {@code SETTLED} postings (by reference) read side by
     * side in one ordered pass each — no grouping, no subquery per row: a settlement whose entries are not exactly
     * what {@link Posting#atTreatment} makes of its amounts, one without a posting, a posting without a settlement.
     */
    private static void settledPostings(Connection c, int limit, List<String> problems) throws SQLException {
        int found = 0;
        try (PreparedStatement settlements = c.prepareStatement("SELECT s.setl_id, s.state, s.insuplc_admdvs, "
                + "s.fixmedins_code, s.hifp_pay, s.cvlserv_pay, s.hifes_pay, s.hifmi_pay, s.hifob_pay, s.maf_pay, "
                + "s.oth_pay, s.acct_pay FROM settlement s WHERE " + COMMITTED + " ORDER BY s.setl_id");
             PreparedStatement postings = c.prepareStatement("SELECT p.reference, e.account, e.amount_fen FROM "
                     + "ledger_posting p LEFT JOIN ledger_entry e ON e.posting_id = p.posting_id WHERE p.kind = 'SETTLED' "
                     + "ORDER BY p.reference");
             ResultSet s = settlements.executeQuery();
             ResultSet p = postings.executeQuery()) {
            boolean hasS = s.next();
            boolean hasP = p.next();
            while ((hasS || hasP) && found < limit) {
                int order = !hasS ? 1 : !hasP ? -1 : s.getString(1).compareTo(p.getString(1));
                if (order < 0) {
                    List<Posting.Entry> expected = expected(s);
                    if (!expected.isEmpty()) {
                        problems.add("settlement " + s.getString(1) + " (" + s.getString(2) + ") has no ledger entries");
                        found++;
                    }
                    hasS = s.next();
                } else if (order > 0) {
                    String reference = p.getString(1);
                    problems.add("ledger posting SETTLED " + reference + " has no such settlement here");
                    found++;
                    while ((hasP = p.next()) && p.getString(1).equals(reference)) {
                        // the rest of that posting's entries
                    }
                } else {
                    String reference = p.getString(1);
                    List<Posting.Entry> actual = new ArrayList<>();
                    do {
                        if (p.getString(2) != null) {
                            actual.add(new Posting.Entry(p.getString(2), p.getLong(3)));
                        }
                    } while ((hasP = p.next()) && p.getString(1).equals(reference));
                    actual.sort(BY_ACCOUNT);
                    List<Posting.Entry> expected = new ArrayList<>(expected(s));
                    expected.sort(BY_ACCOUNT);
                    if (!expected.equals(actual)) {
                        problems.add("settlement " + reference + ": its ledger entries differ from its amounts");
                        found++;
                    }
                    hasS = s.next();
                }
            }
        }
    }

    private static final java.util.Comparator<Posting.Entry> BY_ACCOUNT =
            java.util.Comparator.comparing(Posting.Entry::account).thenComparingLong(Posting.Entry::fen);

    /** The entries a committed settlement row posts, from its amounts, as the node posts them. */
    private static List<Posting.Entry> expected(ResultSet s) throws SQLException {
        Money z = Money.ZERO;
        SettlementAmounts a = new SettlementAmounts(z, z, z, z, z, z, yuan(s, 5), java.math.BigDecimal.ZERO,
                yuan(s, 6), yuan(s, 7), yuan(s, 8), yuan(s, 9), yuan(s, 10), yuan(s, 11), z, z, yuan(s, 12), z, z);
        return Posting.atTreatment(Posting.SETTLED, s.getString(1), Admdvs.of(s.getString(3)), s.getString(4), a)
                .map(Posting::entries).orElse(List.of());
    }

    private static Money yuan(ResultSet rs, int column) throws SQLException {
        return Money.ofYuan(rs.getBigDecimal(column));
    }
}
