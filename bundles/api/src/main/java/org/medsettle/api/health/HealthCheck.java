package org.medsettle.api.health;

/**
 * One thing that can be healthy or not: the database, the instance's configuration, the link to the hub.
 * Registered as an OSGi service by the bundle that owns the thing; {@link HealthMonitor} runs them all.
 *
 * <p>A check must be quick (well under a second) and must not throw: a failure is a {@link HealthResult#fail}
 * whose reason an operator can act on.
 */
public interface HealthCheck {

    /** A short stable name, such as {@code store} or {@code components}. */
    String name();

    HealthResult check();
}
