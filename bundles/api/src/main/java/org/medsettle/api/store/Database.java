package org.medsettle.api.store;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The node's database as an administrator sees it: what it is, where, how big, at which schema version. */
public interface Database {

    /** Product and version, e.g. {@code Apache Derby 10.14.2.0}. */
    String product();

    /** Where the data lives: a directory for embedded Derby, the JDBC URL (without credentials) otherwise. */
    String location();

    /** Size on disk in bytes, where the database can tell. */
    OptionalLong sizeBytes();

    /** The highest schema migration applied. */
    int schemaVersion();

    /** Every migration applied, oldest first. */
    List<AppliedMigration> migrations();

    /**
     * Makes a consistent online copy of the database under {@code targetDirectory} while the node keeps
     * serving, and returns where the copy is.
     *
     * @throws StoreException if the database cannot back itself up (PostgreSQL: use {@code pg_dump}) or the
     *                        copy fails
     */
    Path backup(Path targetDirectory);
}
