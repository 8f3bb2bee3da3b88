package org.medsettle.api.health;

/** Runs every registered {@link HealthCheck}; what {@code medsettle:health} and the HTTP probe report. */
public interface HealthMonitor {

    /** Runs all checks now. A check that throws or takes too long is reported as FAIL, never skipped. */
    HealthReport checkAll();
}
