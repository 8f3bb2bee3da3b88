package org.medsettle.link.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import org.medsettle.api.link.HubMessage;

/** For the benchmarks in other packages: the link's write of a notice into its outbox, as a settlement's commit makes it. */
public final class OutboxWrites {

    private OutboxWrites() {
    }

    public static void write(Connection c, HubMessage notice, Instant now) throws SQLException {
        OutboxStore.write(c, notice, now);
    }
}
