package org.medsettle.api.settlement;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import org.medsettle.api.Money;
import org.medsettle.api.policy.LayerFund;

/**
 * Accumulators (or a change of them) as one line of text, amounts in fen: how the insured node stored them and how
 * they travelled between nodes before they became JSON (Jackson databind, {@code AccumulatorsJson} in the support
 * library). Kept only to read what a database of an earlier version holds. {@code P.<pool>=inscp/hifp/annualDeductible;A=admissions;L.<fund>=axis/paid;M=assistance;B=balance},
 * pool names URL-encoded, e.g. {@code P.inpatient=1027444/370978/100000;A=1;M=0;B=-656563}.
 */
@Deprecated
public final class AccumulatorsText {

    private AccumulatorsText() {
    }

    public static String write(Accumulators a) {
        StringBuilder s = new StringBuilder(96);
        a.pools().forEach((name, p) -> s.append("P.").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(p.inscp().fen()).append('/').append(p.hifpPaid().fen()).append('/')
                .append(p.annualDeductiblePaid().fen()).append(';'));
        s.append("A=").append(a.inpatientAdmissions()).append(';');
        a.layers().forEach((fund, l) -> s.append("L.").append(fund.name()).append('=').append(l.axis().fen()).append('/')
                .append(l.paid().fen()).append(';'));
        s.append("M=").append(a.assistancePaid().fen()).append(";B=").append(a.accountBalance().fen());
        return s.toString();
    }

    /** @throws IllegalArgumentException if the text is not what {@link #write} writes */
    public static Accumulators read(String text) {
        Map<String, PoolAccumulator> pools = new TreeMap<>();
        Map<LayerFund, LayerAccumulator> layers = new EnumMap<>(LayerFund.class);
        int admissions = 0;
        Money assistance = Money.ZERO;
        Money balance = Money.ZERO;
        try {
            for (String part : text.strip().split(";")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String key = part.substring(0, eq);
                String value = part.substring(eq + 1);
                if (key.startsWith("P.")) {
                    long[] v = longs(value, 3);
                    pools.put(URLDecoder.decode(key.substring(2), StandardCharsets.UTF_8),
                            new PoolAccumulator(Money.ofFen(v[0]), Money.ofFen(v[1]), Money.ofFen(v[2])));
                } else if (key.startsWith("L.")) {
                    long[] v = longs(value, 2);
                    layers.put(LayerFund.valueOf(key.substring(2)), new LayerAccumulator(Money.ofFen(v[0]), Money.ofFen(v[1])));
                } else if (key.equals("A")) {
                    admissions = Integer.parseInt(value);
                } else if (key.equals("M")) {
                    assistance = Money.ofFen(Long.parseLong(value));
                } else if (key.equals("B")) {
                    balance = Money.ofFen(Long.parseLong(value));
                } else {
                    throw new IllegalArgumentException("unknown part " + key);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not accumulators: '" + text + "' (" + e.getMessage() + ")", e);
        }
        return new Accumulators(pools, admissions, layers, assistance, balance);
    }

    private static long[] longs(String value, int n) {
        String[] parts = value.split("/");
        if (parts.length != n) {
            throw new IllegalArgumentException("expected " + n + " amounts in '" + value + "'");
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Long.parseLong(parts[i]);
        }
        return v;
    }
}
