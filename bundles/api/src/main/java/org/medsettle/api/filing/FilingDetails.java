package org.medsettle.api.filing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.medsettle.api.model.Filing;

/**
 * A filing with what the rules keep beside it.
 *
 * @param supersededBy the filing that replaced this one, if one did
 * @param history      every change, oldest first
 */
public record FilingDetails(Filing filing, String evidence, String receivingHospital, Optional<String> supersededBy,
                            List<FilingChange> history) {

    public FilingDetails {
        Objects.requireNonNull(filing, "filing");
        evidence = evidence == null ? "" : evidence;
        receivingHospital = receivingHospital == null ? "" : receivingHospital;
        Objects.requireNonNull(supersededBy, "supersededBy");
        history = List.copyOf(history);
    }
}
