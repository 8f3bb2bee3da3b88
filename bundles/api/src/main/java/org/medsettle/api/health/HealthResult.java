package org.medsettle.api.health;

import java.util.Objects;

/** The outcome of one {@link HealthCheck}: OK with what was seen, or FAIL with the reason. */
public record HealthResult(boolean ok, String detail) {

    public HealthResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static HealthResult ok(String detail) {
        return new HealthResult(true, detail);
    }

    public static HealthResult fail(String reason) {
        return new HealthResult(false, reason);
    }

    public String status() {
        return ok ? "OK" : "FAIL";
    }
}
