package org.medsettle.api.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.SettlementAmounts;

/**
 * One movement of money in the ledger: entries on accounts, in fen, that sum to zero (double entry), posted once
 * for its {@code kind} and {@code reference} (e.g. {@code SETTLED} and a {@code setl_id}).
 *
 * <p>Accounts are named {@code <kind>:<qualifiers>}:
 * <ul>
 *   <li>at the place of treatment (就医地): {@code claim:<insured province>:<fund>}, what that province owes for the
 *       fund's payments to this province's hospitals; {@code hospital:<fixmedins_code>}, what this province's agency
 *       owes the hospital for them;</li>
 *   <li>at the insured place (参保地): {@code fund:<fund>}, what the fund paid for its insured elsewhere;
 *       {@code owed:<treatment province>:<fund>}, what it owes that province for it.</li>
 * </ul>
 * Funds as the national interface names the amounts: {@code hifp} (统筹), {@code cvlserv} (公务员补助), {@code hifes}
 * (企业补充), {@code hifmi} (大病), {@code hifob} (大额), {@code maf} (医疗救助), {@code oth} (其他), {@code acct}
 * (个人账户).
 *
 * @param kind      what moved the money: {@link #SETTLED}, {@link #CORRECTED}, {@link #APPLIED}, {@link #UNDONE}
 * @param reference what it is about (a {@code setl_id}), unique per kind
 * @param entries   at least two, none zero, summing to zero (an entry may balance several others: a compound
 *                  posting)
 */
public record Posting(String kind, String reference, List<Entry> entries) {

    /** A settlement (or a reversal, with its negated amounts) committed at the place of treatment. */
    public static final String SETTLED = "SETTLED";
    /** A committed settlement taken back by a correction (2601) at the place of treatment. */
    public static final String CORRECTED = "CORRECTED";
    /** A settlement applied at the insured place. */
    public static final String APPLIED = "APPLIED";
    /** An applied settlement undone at the insured place. */
    public static final String UNDONE = "UNDONE";

    private static final Pattern KIND = Pattern.compile("[A-Z_]{1,20}");
    private static final Pattern ACCOUNT = Pattern.compile("[a-z]{1,12}(:[A-Za-z0-9]{1,30}){0,2}");

    /** One entry: {@code fen} on {@code account} (positive: debit, what is owed to this side; negative: credit). */
    public record Entry(String account, long fen) {
        public Entry {
            Objects.requireNonNull(account, "account");
            if (!ACCOUNT.matcher(account).matches()) {
                throw new IllegalArgumentException("not a ledger account: '" + account + "'");
            }
            if (fen == 0) {
                throw new IllegalArgumentException("an entry of 0 on " + account);
            }
        }
    }

    public Posting {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("not a posting kind: '" + kind + "'");
        }
        if (reference.isBlank() || reference.length() > 40) {
            throw new IllegalArgumentException("a posting's reference has 1 to 40 characters: '" + reference + "'");
        }
        entries = List.copyOf(entries);
        if (entries.size() < 2) {
            throw new IllegalArgumentException("a posting has at least two entries: " + kind + " " + reference);
        }
        long sum = 0;
        for (Entry e : entries) {
            sum = Math.addExact(sum, e.fen());
        }
        if (sum != 0) {
            throw new IllegalArgumentException("the entries of " + kind + " " + reference + " sum to " + sum
                    + " fen, not 0");
        }
    }

    /** The funds of a settlement's amounts, in the order of the national interface, with their amounts. */
    public static List<FundAmount> funds(SettlementAmounts a) {
        List<FundAmount> funds = new ArrayList<>(8);
        add(funds, "hifp", a.hifpPay());
        add(funds, "cvlserv", a.cvlservPay());
        add(funds, "hifes", a.hifesPay());
        add(funds, "hifmi", a.hifmiPay());
        add(funds, "hifob", a.hifobPay());
        add(funds, "maf", a.mafPay());
        add(funds, "oth", a.othPay());
        add(funds, "acct", a.acctPay());
        return funds;
    }

    private static void add(List<FundAmount> funds, String fund, Money amount) {
        if (amount.fen() != 0) {
            funds.add(new FundAmount(fund, amount.fen()));
        }
    }

    /** A fund and what it paid, in fen (negative for a reversal). */
    public record FundAmount(String fund, long fen) {
    }

    /**
     * What a settlement committed at the place of treatment posts there ({@link #SETTLED}): per fund, the insured
     * province's debt ({@code claim:<insured>:<fund>}), and against them the hospital's credit for all of them
     * ({@code hospital:<code>}, one compound entry). Empty if no fund paid anything (the patient paid it all).
     */
    public static java.util.Optional<Posting> atTreatment(String kind, String setlId, Admdvs insured, String hospital,
                                                          SettlementAmounts amounts) {
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        for (FundAmount f : funds(amounts)) {
            entries.add(new Entry("claim:" + insured.province().code() + ":" + f.fund(), f.fen()));
            total = Math.addExact(total, f.fen());
        }
        if (entries.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (total == 0) {
            // funds paying and taking back within one settlement: nothing for the hospital, the claims still net
            return java.util.Optional.of(new Posting(kind, setlId, entries));
        }
        entries.add(new Entry("hospital:" + hospital, -total));
        return java.util.Optional.of(new Posting(kind, setlId, entries));
    }

    /**
     * What a settlement applied at the insured place posts there ({@link #APPLIED}): per fund, the fund's payment
     * ({@code fund:<fund>}) against the debt to the treatment province ({@code owed:<treatment>:<fund>}).
     */
    public static java.util.Optional<Posting> atInsuredPlace(String kind, String setlId, Admdvs treatment,
                                                             SettlementAmounts amounts) {
        List<Entry> entries = new ArrayList<>();
        for (FundAmount f : funds(amounts)) {
            entries.add(new Entry("fund:" + f.fund(), f.fen()));
            entries.add(new Entry("owed:" + treatment.province().code() + ":" + f.fund(), -f.fen()));
        }
        return entries.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Posting(kind, setlId, entries));
    }

    /** The opposite posting under another kind (a correction, an undo): every entry negated. */
    public Posting opposite(String oppositeKind) {
        return new Posting(oppositeKind, reference, entries.stream().map(e -> new Entry(e.account(), -e.fen())).toList());
    }
}
