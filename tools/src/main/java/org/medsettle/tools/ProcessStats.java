package org.medsettle.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the load driver reads of the processes it measures (Linux /proc), and its percentiles. */
final class ProcessStats {

    private ProcessStats() {
    }

    static long[] percentiles(List<Long> samples) {
        long[] s = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        if (s.length == 0) {
            return new long[] {0, 0, 0, 0};
        }
        return new long[] {s[(int) (s.length * 0.50)], s[Math.min(s.length - 1, (int) (s.length * 0.95))],
                s[Math.min(s.length - 1, (int) (s.length * 0.99))], s[s.length - 1]};
    }

    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long rssMib(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
