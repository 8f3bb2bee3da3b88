package org.medsettle.store.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;

import org.apache.derby.jdbc.EmbeddedDataSource;

/** Real embedded Derby databases for tests: in memory, or in a directory that outlives a shutdown. */
final class Derby {

    private Derby() {
    }

    static EmbeddedDataSource inMemory() {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:test-" + UUID.randomUUID());
        ds.setCreateDatabase("create");
        return ds;
    }

    static EmbeddedDataSource inDirectory(Path dir) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toAbsolutePath().toString());
        ds.setCreateDatabase("create");
        return ds;
    }

    /** Shuts one database down as a stopping node would; the next connection boots it again from disk. */
    static void shutdown(EmbeddedDataSource ds) {
        EmbeddedDataSource stop = new EmbeddedDataSource();
        stop.setDatabaseName(ds.getDatabaseName());
        stop.setShutdownDatabase("shutdown");
        try {
            stop.getConnection().close();
        } catch (SQLException expected) {
            if (!"08006".equals(expected.getSQLState())) {
                throw new IllegalStateException(expected);
            }
        }
    }
}
