package org.medsettle.api.catalogue;

import java.time.LocalDate;
import java.util.Optional;

/** The node's own treatment-place catalogue, active version, looked up in memory. */
public interface Catalogue {

    /** The entry for the code that is valid on {@code date}, if any. */
    Optional<CatalogueEntry> lookup(String medListCodg, LocalDate date);

    /** A label for the active version (import id and time), for explanations and audits. */
    String activeVersion();
}
