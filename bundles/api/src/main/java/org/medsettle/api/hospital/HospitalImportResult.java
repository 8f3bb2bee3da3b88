package org.medsettle.api.hospital;

import java.util.List;

/**
 * What a hospital import did: every line applied in one transaction, or nothing and every bad line named.
 *
 * @param added the codes of hospitals new to the node: each got a signing key ({@code medsettle:hospital-key})
 */
public record HospitalImportResult(int lines, List<String> added, int updated, List<String> problems) {

    public HospitalImportResult {
        added = List.copyOf(added);
        problems = List.copyOf(problems);
    }

    public boolean accepted() {
        return problems.isEmpty();
    }
}
