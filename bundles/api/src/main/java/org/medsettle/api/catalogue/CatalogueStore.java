package org.medsettle.api.catalogue;

import java.util.List;
import java.util.Optional;

import org.medsettle.api.store.Actor;

/** Durable catalogue versions (implemented by the store). Each method is one transaction, audited. */
public interface CatalogueStore {

    /** Stores a complete version, inactive, and returns it. */
    CatalogueVersionInfo save(String source, Actor actor, List<CatalogueEntry> entries);

    /** Makes one version the active one, atomically; the others stay, inactive. */
    CatalogueVersionInfo activate(long versionId, Actor actor);

    /** Every version, newest first. */
    List<CatalogueVersionInfo> versions();

    Optional<CatalogueVersionInfo> active();

    /** The entries of one version, in file order. */
    List<CatalogueEntry> entries(long versionId);
}
