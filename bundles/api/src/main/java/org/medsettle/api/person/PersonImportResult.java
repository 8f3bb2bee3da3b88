package org.medsettle.api.person;

import java.time.Duration;
import java.util.List;

/**
 * What a person import did: all rows applied (added or updated) in one transaction, or nothing and every bad
 * line named (by line number and field: no personal data in the problems).
 */
public record PersonImportResult(int lines, int added, int updated, List<String> problems, Duration took) {

    public PersonImportResult {
        problems = List.copyOf(problems);
    }

    public boolean accepted() {
        return problems.isEmpty();
    }
}
