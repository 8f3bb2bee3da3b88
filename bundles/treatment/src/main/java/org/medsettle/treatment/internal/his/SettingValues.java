package org.medsettle.treatment.internal.his;

import java.util.Map;
import java.util.function.Consumer;

/** Values of {@code etc/org.medsettle.transactions.cfg} read with their bounds; a wrong one is said and not used. */
final class SettingValues {

    private SettingValues() {
    }

    /**
     * The whole number {@code key} of {@code properties}, from {@code min} to {@code max}; {@code dflt} when absent,
     * and when it is not such a number (then said to {@code warn}, naming the key, the value and the default used).
     */
    static long number(Map<String, ?> properties, String key, long dflt, long min, long max, Consumer<String> warn) {
        Object v = properties.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.toString().strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        warn.accept(key + " = '" + v + "' is not a whole number from " + min + " to " + max + "; " + dflt
                + " is used");
        return dflt;
    }
}
