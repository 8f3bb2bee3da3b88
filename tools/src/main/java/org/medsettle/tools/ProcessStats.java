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

    /**
     * CPU time (clock ticks, user and system) of a process and of its child processes: those running (e.g.
     * PostgreSQL's backends, children of the postmaster) and those ended and waited for (the process's cutime and
     * cstime). A Karaf instance's JVM has none.
     */
    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        long[] own = ticks(pid);
        long total = own[0] + own[1];
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            for (ProcessHandle child : process.get().descendants().toList()) {
                total += ticks(child.pid())[0];
            }
        }
        return total;
    }

    /**
     * CPU time (clock ticks, user and system) of a JVM's JIT compiler threads ({@code C1 CompilerThread<n>},
     * {@code C2 CompilerThread<n>}) now running, from {@code /proc/<pid>/task}: what the process spends compiling
     * rather than on the work measured. A lower bound over an interval: HotSpot ends compiler threads it no longer
     * needs, and an ended thread's ticks are not in any task left. 0 for a process that is gone or not a JVM.
     */
    static long jitTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        long total = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isJitCompiler(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) {
                        total += ticksOf(stat)[0];
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or not readable: what was counted
        }
        return total;
    }

    /** A HotSpot JIT compiler thread's name as Linux keeps it (15 characters: {@code C2 CompilerThre}). */
    static boolean isJitCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /** {utime + stime, cutime + cstime} of one process, from /proc; zeros if it is gone. */
    private static long[] ticks(long pid) {
        try {
            return ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** {utime + stime, cutime + cstime} of a process's or a thread's {@code stat} line (after its name in brackets). */
    private static long[] ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
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
