package org.medsettle.filingapi.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.medsettle.api.KeyFingerprint;
import org.medsettle.api.filing.FilingApiClients;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The filing API's clients (table {@code api_client}) and the nonces their signed requests used (table
 * {@code seen_nonce}): this component is the only writer of both.
 */
@Component(service = {FilingApiClients.class, ApiClientsService.class})
public class ApiClientsService implements FilingApiClients {

    static final String CHANNEL = "FILING_API";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Transactor db;
    private final AuditLog audit;
    private final Clock clock;
    private final AtomicLong lastPurge = new AtomicLong();

    @Activate
    public ApiClientsService(@Reference Transactor db, @Reference AuditLog audit) {
        this(db, audit, Clock.systemUTC());
    }

    ApiClientsService(Transactor db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public NewClient add(String name, Actor actor) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("a client name has 1 to 40 letters, digits, - or _");
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String encoded = Base64.getEncoder().encodeToString(key);
        Instant now = clock.instant();
        Client client = new Client(n, KeyFingerprint.of(key), now, actor.name(), Optional.empty(), Optional.empty());
        db.inTransaction("add filing API client " + n, c -> {
            if (find(c, n).isPresent()) {
                throw new IllegalArgumentException("client " + n + " exists (medsettle:filing-client-list); revoke it "
                        + "and add one under another name to replace its key");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_client (name, secret, fingerprint, "
                    + "created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, n);
                ps.setString(2, encoded);
                ps.setString(3, client.fingerprint());
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setString(5, actor.name());
                ps.executeUpdate();
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "FILING_CLIENT_ADDED", n,
                    client.fingerprint()));
            return null;
        });
        return new NewClient(client, encoded);
    }

    /**
     * Takes over a client an earlier version kept in the configuration, with its key. A client already here with
     * the same key is left as it is.
     *
     * @throws IllegalArgumentException if the name or key is malformed, or the name is taken by another key
     */
    void adopt(String name, String keyBase64, Actor actor) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("a client name has 1 to 40 letters, digits, - or _");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(keyBase64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its key is not base64");
        }
        String fingerprint = KeyFingerprint.of(key);
        Instant now = clock.instant();
        db.inTransaction("adopt filing API client " + n, c -> {
            Optional<Client> existing = find(c, n);
            if (existing.isPresent()) {
                if (!existing.get().fingerprint().equals(fingerprint)) {
                    throw new IllegalArgumentException("the database has client " + n + " with another key");
                }
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_client (name, secret, fingerprint, "
                    + "created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, n);
                ps.setString(2, Base64.getEncoder().encodeToString(key));
                ps.setString(3, fingerprint);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setString(5, actor.name());
                ps.executeUpdate();
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "FILING_CLIENT_ADDED", n,
                    fingerprint + " (moved from the configuration)"));
            return true;
        });
    }

    @Override
    public Client revoke(String name, Actor actor) {
        String n = name == null ? "" : name.strip();
        Instant now = clock.instant();
        Client revoked = db.inTransaction("revoke filing API client " + n, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_client SET revoked_at = ?, revoked_by = ? "
                    + "WHERE name = ? AND revoked_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, actor.name());
                ps.setString(3, n);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no active client " + n + " (medsettle:filing-client-list)");
                }
            }
            Client c2 = find(c, n).orElseThrow();
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "FILING_CLIENT_REVOKED", n,
                    c2.fingerprint()));
            return c2;
        });
        return revoked;
    }

    @Override
    public List<Client> list() {
        return db.inTransaction("list filing API clients", c -> {
            List<Client> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, fingerprint, created_at, created_by, "
                    + "revoked_at, revoked_by FROM api_client ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(client(rs));
                }
            }
            return all;
        });
    }

    @Override
    public Optional<byte[]> key(String name) {
        if (name == null || !NAME.matcher(name.strip()).matches()) {
            return Optional.empty();
        }
        return db.inTransaction("read filing API client", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT secret FROM api_client WHERE name = ? AND revoked_at IS NULL")) {
                ps.setString(1, name.strip());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Base64.getDecoder().decode(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Records that {@code sender} used {@code nonce}; false if it was used before (a replay). Nonces older than
     * {@code window} twice over are forgotten now and then: a request that old is refused by its timestamp.
     */
    boolean firstUse(String sender, String nonce, Duration window) {
        Instant now = clock.instant();
        boolean purge = now.toEpochMilli() - lastPurge.get() > window.toMillis()
                && lastPurge.getAndSet(now.toEpochMilli()) != now.toEpochMilli();
        return db.inTransaction("record a nonce of " + sender, c -> {
            if (purge) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM seen_nonce WHERE seen_at < ?")) {
                    ps.setTimestamp(1, Timestamp.from(now.minus(window.multipliedBy(2))));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM seen_nonce WHERE channel = ? AND sender = ? AND nonce = ?")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, sender);
                ps.setString(3, nonce);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            // a savepoint: on PostgreSQL a failed statement aborts the whole transaction unless rolled back to one
            java.sql.Savepoint before = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO seen_nonce (channel, sender, nonce, seen_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, sender);
                ps.setString(3, nonce);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    c.rollback(before);
                    return false; // the same nonce at the same moment through another connection
                }
                throw e;
            }
            return true;
        });
    }

    private static Optional<Client> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, fingerprint, created_at, created_by, revoked_at, "
                + "revoked_by FROM api_client WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(client(rs)) : Optional.empty();
            }
        }
    }

    private static Client client(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp(5);
        return new Client(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                Optional.ofNullable(revoked).map(Timestamp::toInstant), Optional.ofNullable(rs.getString(6)));
    }
}
