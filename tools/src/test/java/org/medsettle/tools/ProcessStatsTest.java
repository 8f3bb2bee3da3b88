package org.medsettle.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void theJitCompilerThreadsAreKnownByTheNamesLinuxKeepsOfThem() {
        assertTrue(ProcessStats.isJitCompiler("C2 CompilerThre"));
        assertTrue(ProcessStats.isJitCompiler("C1 CompilerThre"));
        assertFalse(ProcessStats.isJitCompiler("qtp12345-77"));
        assertFalse(ProcessStats.isJitCompiler("GC Thread#0"));
        assertFalse(ProcessStats.isJitCompiler("VM Thread"));
    }

    @Test
    void aRunningJvmHasSpentCpuOnCompilingWhichIsPartOfItsCpu() {
        long pid = ProcessHandle.current().pid();
        // this JVM has compiled the test framework's code by now (at least a clock tick of 10 ms)
        long jit = ProcessStats.jitTicks(pid);
        assertTrue(jit > 0, "JIT ticks of the test JVM: " + jit);
        assertTrue(ProcessStats.cpuTicks(pid) >= jit, "the process's CPU includes its compilers'");
    }

    @Test
    void aProcessThatIsNotAJvmOrIsGoneHasNoJitCompilerTime() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(0, ProcessStats.jitTicks(sleep.pid()));
        } finally {
            sleep.destroy();
            sleep.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(0, ProcessStats.jitTicks(sleep.pid()));
        assertEquals(0, ProcessStats.jitTicks(0));
    }
}
