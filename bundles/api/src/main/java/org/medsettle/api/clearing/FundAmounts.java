package org.medsettle.api.clearing;

import java.util.List;

/**
 * Amounts per fund in fen, in the order and with the names of the national interface's settlement output:
 * {@code hifp_pay} (统筹), {@code cvlserv_pay} (公务员补助), {@code hifes_pay} (企业补充), {@code hifmi_pay} (大病),
 * {@code hifob_pay} (大额), {@code maf_pay} (医疗救助), {@code oth_pay} (其他) and {@code acct_pay} (个人账户). What the
 * insured province owes the treatment province for a settlement is all of them: {@link #total()}.
 */
public record FundAmounts(long hifp, long cvlserv, long hifes, long hifmi, long hifob, long maf, long oth, long acct) {

    /** The funds' names, in the order of {@link #values()}. */
    public static final List<String> FUNDS = List.of("hifp", "cvlserv", "hifes", "hifmi", "hifob", "maf", "oth", "acct");

    public static final FundAmounts ZERO = new FundAmounts(0, 0, 0, 0, 0, 0, 0, 0);

    /** From fen in the order of {@link #FUNDS}. */
    public static FundAmounts of(long[] fen) {
        if (fen.length != 8) {
            throw new IllegalArgumentException("8 fund amounts expected, not " + fen.length);
        }
        return new FundAmounts(fen[0], fen[1], fen[2], fen[3], fen[4], fen[5], fen[6], fen[7]);
    }

    /** The fen in the order of {@link #FUNDS}. */
    public long[] values() {
        return new long[] {hifp, cvlserv, hifes, hifmi, hifob, maf, oth, acct};
    }

    /** All funds and the personal account: what moves between the provinces. */
    public long total() {
        long sum = 0;
        for (long v : values()) {
            sum = Math.addExact(sum, v);
        }
        return sum;
    }

    /** The funds without the personal account ({@code fund_pay_sumamt}). */
    public long fundPaySumamt() {
        return Math.subtractExact(total(), acct);
    }

    public FundAmounts plus(FundAmounts other) {
        long[] a = values();
        long[] b = other.values();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.addExact(a[i], b[i]);
        }
        return of(a);
    }

    public FundAmounts negate() {
        long[] a = values();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.negateExact(a[i]);
        }
        return of(a);
    }

    public boolean isZero() {
        return equals(ZERO);
    }
}
