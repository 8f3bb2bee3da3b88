package org.medsettle.api.store;

/**
 * A bundle's own schema is in place. A bundle that owns tables ships their migrations itself: its manifest names
 * the folder with header {@value #HEADER} (e.g. {@code Medsettle-Schema: db/hub}), which holds {@code index.txt} (the
 * files in order) and {@code V<n>__<description>.sql} files, numbered from 1 per owner. The store applies them when
 * the bundle starts — each in a transaction of its own, recorded per owner in {@code schema_owner_version} — and then
 * registers this service with the properties {@value #OWNER} (the bundle's symbolic name) and {@value #VERSION}. A
 * component that uses its bundle's tables references it, e.g. {@code @Reference(target = "(owner=medsettle-hub)")},
 * and so never runs on a schema it does not know. The tables created before bundles shipped their own migrations
 * are the store's base schema ({@code schema_version}).
 */
public interface SchemaReady {

    String HEADER = "Medsettle-Schema";
    String OWNER = "owner";
    String VERSION = "version";

    /** The owning bundle's symbolic name. */
    String owner();

    /** Its schema version now. */
    int version();
}
