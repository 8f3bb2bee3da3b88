package org.medsettle.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.medsettle.api.store.Leases;

/**
 * {@link Leases} in table {@code instance_lease}: taking or renewing one is a single conditional update (or the
 * first insert) in a short transaction, so two instances never both hold a lease that has not expired. Times are
 * this JVM's clock; instances sharing a database keep their clocks synchronised (NTP) to well under a lease's time.
 */
final class JdbcLeases implements Leases {

    private final DataSource dataSource;
    private final Clock clock;
    private final String holder;
    private final boolean only;

    /**
     * @param only whether this JVM is the only one that can open the database (embedded Derby): then it holds every
     *             lease without writing anything
     */
    JdbcLeases(DataSource dataSource, Clock clock, String holder, boolean only) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.holder = holder;
        this.only = only;
    }

    JdbcLeases(DataSource dataSource, Clock clock, String holder) {
        this(dataSource, clock, holder, false);
    }

    /** {@code host:pid:start}: unique among the instances of a database, and says to an operator which one. */
    static String holderOf(Clock clock) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + clock.instant().toEpochMilli();
    }

    @Override
    public String holderName() {
        return holder;
    }

    @Override
    public boolean hold(String name, Duration ttl) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("a lease's name: 1 to 64 characters");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease's time must be positive: " + ttl);
        }
        if (only) {
            return true;
        }
        Instant now = clock.instant();
        return Transactions.inTransaction(dataSource, "hold lease " + name, c -> {
            try (PreparedStatement renew = c.prepareStatement("UPDATE instance_lease SET holder = ?, expires_at = ?, "
                    + "acquired_at = CASE WHEN holder = ? THEN acquired_at ELSE ? END "
                    + "WHERE lease_name = ? AND (holder = ? OR expires_at < ?)")) {
                renew.setString(1, holder);
                renew.setTimestamp(2, Timestamp.from(now.plus(ttl)));
                renew.setString(3, holder);
                renew.setTimestamp(4, Timestamp.from(now));
                renew.setString(5, name);
                renew.setString(6, holder);
                renew.setTimestamp(7, Timestamp.from(now));
                if (renew.executeUpdate() == 1) {
                    return true;
                }
            }
            // never held, or held by another: the first insert wins, a second one meets the primary key
            Savepoint before = c.setSavepoint();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO instance_lease (lease_name, holder, "
                    + "expires_at, acquired_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, holder);
                insert.setTimestamp(3, Timestamp.from(now.plus(ttl)));
                insert.setTimestamp(4, Timestamp.from(now));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
                c.rollback(before);
                return false;
            }
        });
    }

    @Override
    public void release(String name) {
        if (only) {
            return;
        }
        Transactions.inTransaction(dataSource, "release lease " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM instance_lease WHERE lease_name = ? AND holder = ?")) {
                ps.setString(1, name);
                ps.setString(2, holder);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Lease> leases() {
        return Transactions.inTransaction(dataSource, "read the leases", c -> {
            List<Lease> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT lease_name, holder, expires_at, acquired_at "
                    + "FROM instance_lease ORDER BY lease_name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Lease(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return list;
        });
    }
}
