package org.medsettle.console.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/** How the console writes sizes and durations for people. */
final class Format {

    private Format() {
    }

    /** What a person typed, said back in a message: cut after 64 characters, so that a pasted file does not flood it. */
    static String echo(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    static String bytes(OptionalLong bytes) {
        return bytes.isPresent() ? bytes(bytes.getAsLong()) : "unknown";
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static final java.util.regex.Pattern XMX = java.util.regex.Pattern.compile("-Xmx([0-9]{1,15})([kKmMgGtT]?)");

    /**
     * The heap limit the JVM was started with: the last {@code -Xmx} of its {@code arguments} in bytes (as the JVM
     * reads it: a number with an optional {@code k}, {@code m}, {@code g} or {@code t}), empty without a readable one.
     * What {@code MEDSETTLE_HEAP} set — the JVM's own "max" leaves out the parallel collector's second survivor space.
     */
    static java.util.OptionalLong heapLimit(java.util.List<String> arguments) {
        java.util.OptionalLong limit = java.util.OptionalLong.empty();
        for (String a : arguments) {
            java.util.regex.Matcher m = XMX.matcher(a);
            if (m.matches()) {
                int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 0;
                };
                limit = java.util.OptionalLong.of(Long.parseLong(m.group(1)) << shift);
            }
        }
        return limit;
    }

    static String duration(Duration d) {
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        if (days > 0) {
            return days + "d " + hours + "h " + minutes + "m";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m " + seconds + "s";
        }
        if (minutes > 0) {
            return minutes + "m " + seconds + "s";
        }
        return seconds + "s";
    }

    static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
