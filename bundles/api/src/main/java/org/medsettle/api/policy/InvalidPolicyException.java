package org.medsettle.api.policy;

import java.util.List;

/** A policy file that does not follow the policy format; every problem is named by its JSON path. */
public class InvalidPolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidPolicyException(String source, List<String> problems) {
        super(source + ": " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code $.path: what is wrong}. */
    public List<String> problems() {
        return problems;
    }
}
