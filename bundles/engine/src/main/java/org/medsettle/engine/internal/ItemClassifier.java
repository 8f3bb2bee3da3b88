package org.medsettle.engine.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Money;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.settlement.ItemSplit;
import org.medsettle.api.settlement.SettlementRefusedException;

/** Fee lines against the treatment-place catalogue (就医地目录), settlement-rules.md §1. */
public final class ItemClassifier {

    static final BigDecimal TOLERANCE = new BigDecimal("0.01");

    private ItemClassifier() {
    }

    /**
     * Splits every line; refuses the whole list if a line's amount is not its price times its quantity
     * (within 0.01), or a quantity or price is not positive.
     */
    public static List<ItemSplit> classify(List<FeeLine> items, Catalogue catalogue) {
        List<ItemSplit> splits = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            splits.add(classify(items.get(i), catalogue, "feedetail[" + i + "]"));
        }
        return splits;
    }

    static ItemSplit classify(FeeLine item, Catalogue catalogue, String field) {
        BigDecimal p = item.pric();
        BigDecimal q = item.cnt();
        Money a = item.amount();
        if (q.signum() <= 0) {
            throw new SettlementRefusedException(field + ".cnt", "must be > 0: " + q.toPlainString());
        }
        if (p.signum() < 0) {
            throw new SettlementRefusedException(field + ".pric", "must not be negative: " + p.toPlainString());
        }
        if (!agrees(a, p, q)) {
            throw new SettlementRefusedException(field + ".det_item_fee_sumamt", a + " is not pric × cnt = "
                    + p.toPlainString() + " × " + q.toPlainString() + " (" + p.multiply(q).toPlainString() + ")");
        }
        Optional<CatalogueEntry> found = catalogue.lookup(item.medListCodg(), item.feeOcurTime().toLocalDate());
        if (found.isEmpty() || found.get().chargeClass() == ChargeClass.C) {
            return new ItemSplit(item.feedetlSn(), a, found.map(CatalogueEntry::chargeClass),
                    found.flatMap(CatalogueEntry::priceLimit), BigDecimal.ZERO, a, Money.ZERO, Money.ZERO, Money.ZERO);
        }
        CatalogueEntry entry = found.get();
        Money over = Money.ZERO;
        if (entry.priceLimit().isPresent() && p.compareTo(entry.priceLimit().get()) > 0) {
            over = fen(p.subtract(entry.priceLimit().get()).multiply(q)).min(a);
        }
        Money afterLimit = a.minus(over);
        if (entry.chargeClass() == ChargeClass.A) {
            return new ItemSplit(item.feedetlSn(), a, Optional.of(ChargeClass.A), entry.priceLimit(), BigDecimal.ZERO,
                    Money.ZERO, over, Money.ZERO, afterLimit);
        }
        Money first = afterLimit.times(entry.selfpayProp());
        return new ItemSplit(item.feedetlSn(), a, Optional.of(ChargeClass.B), entry.priceLimit(), entry.selfpayProp(),
                Money.ZERO, over, first, afterLimit.minus(first));
    }

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L};

    /** {@code |a − p × q| ≤ 0.01}, exactly: in longs when everything fits, else in BigDecimal. */
    static boolean agrees(Money a, BigDecimal p, BigDecimal q) {
        int scale = p.scale() + q.scale();
        if (p.scale() >= 0 && q.scale() >= 0 && scale >= 2 && scale - 2 < POWERS_OF_TEN.length
                && p.precision() <= 15 && q.precision() <= 15) {
            long unit = POWERS_OF_TEN[scale - 2];   // one fen at the product's scale
            long pq = p.unscaledValue().longValue() * q.unscaledValue().longValue();
            long high = Math.multiplyHigh(p.unscaledValue().longValue(), q.unscaledValue().longValue());
            if (high == 0 && pq >= 0 && Math.abs(a.fen()) < Long.MAX_VALUE / unit / 2) {
                return Math.abs(a.fen() * unit - pq) <= unit;
            }
        }
        return a.toYuan().subtract(p.multiply(q)).abs().compareTo(TOLERANCE) <= 0;
    }

    /** A yuan amount rounded half-up to the fen. */
    static Money fen(BigDecimal yuan) {
        return Money.ofYuan(yuan.setScale(2, RoundingMode.HALF_UP));
    }
}
