package org.medsettle.api.policy;

import java.time.Instant;
import java.util.List;

/** A policy bundle, or a version of it, that was refused; what was in force before stays in force. */
public record PolicyRefusal(String bundle, Instant at, List<String> problems) {

    public PolicyRefusal {
        problems = List.copyOf(problems);
    }
}
