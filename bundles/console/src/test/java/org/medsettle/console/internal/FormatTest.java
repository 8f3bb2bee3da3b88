package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class FormatTest {

    @Test
    void sizesUseBinaryUnitsWithOneDecimal() {
        assertEquals("512 B", Format.bytes(512));
        assertEquals("1.5 KiB", Format.bytes(1536));
        assertEquals("3.0 MiB", Format.bytes(3L * 1024 * 1024));
        assertEquals("unknown", Format.bytes(OptionalLong.empty()));
    }

    @Test
    void theHeapLimitIsTheLastXmxOfTheJvmsArgumentsInBytes() {
        assertEquals(OptionalLong.of(512L << 20), Format.heapLimit(java.util.List.of("-Xms64m", "-Xmx512M",
                "-XX:+UseParallelGC")));
        assertEquals(OptionalLong.of(2L << 30), Format.heapLimit(java.util.List.of("-Xmx1024M", "-Xmx2g")));
        assertEquals(OptionalLong.of(65_536), Format.heapLimit(java.util.List.of("-Xmx64k")));
        assertEquals(OptionalLong.of(1_000_000), Format.heapLimit(java.util.List.of("-Xmx1000000")));
        assertEquals(OptionalLong.empty(), Format.heapLimit(java.util.List.of("-Xms512M", "-XX:MaxRAMPercentage=50")));
        assertEquals(OptionalLong.empty(), Format.heapLimit(java.util.List.of("-Xmx", "-Xmx1q", "-Dx=-Xmx5g")));
    }

    @Test
    void durationsShowTheLargestUnitsOnly() {
        assertEquals("42s", Format.duration(Duration.ofSeconds(42)));
        assertEquals("2m 5s", Format.duration(Duration.ofSeconds(125)));
        assertEquals("1h 0m 1s", Format.duration(Duration.ofSeconds(3601)));
        assertEquals("3d 4h 5m", Format.duration(Duration.ofDays(3).plusHours(4).plusMinutes(5)));
    }

    @Test
    void bundleStatesAreNamed() {
        assertEquals("Active", StatusCommand.state(Bundle.ACTIVE));
        assertEquals("Resolved", StatusCommand.state(Bundle.RESOLVED));
    }

    @Test
    void whatAPersonTypedIsSaidBackCutAfter64Characters() {
        assertEquals("2026-02-30", Format.echo("2026-02-30"));
        assertEquals("x".repeat(64), Format.echo("x".repeat(64)));
        assertEquals("x".repeat(64) + "…", Format.echo("x".repeat(65)));
    }
}
