package org.medsettle.hospitals.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.medsettle.api.Admdvs;
import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.hospital.HospitalImportResult;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hospitals of this node in table {@code hospital}. Look-ups are served from memory for a few seconds
 * ({@link #FRESH_MILLIS}) so that a request costs no database read; another node sharing the database sees an
 * import within that time.
 */
@Component(service = HospitalRegistry.class)
public class HospitalRegistryService implements HospitalRegistry {

    static final long FRESH_MILLIS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(HospitalRegistryService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(Hospital hospital, byte[] key, long readAt) {
    }

    private final Transactor db;
    private final AuditLog audit;
    private final InstanceIdentity identity;
    private final Clock clock;
    private final Map<String, Optional<Entry>> cache = new ConcurrentHashMap<>();

    @Activate
    public HospitalRegistryService(@Reference Transactor db, @Reference AuditLog audit,
                                   @Reference InstanceIdentity identity) {
        this(db, audit, identity, Clock.systemUTC());
    }

    HospitalRegistryService(Transactor db, AuditLog audit, InstanceIdentity identity, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public Optional<Hospital> byCode(String code) {
        return entry(code).map(Entry::hospital);
    }

    private Optional<Entry> entry(String code) {
        if (code == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Optional<Entry> cached = cache.get(code);
        if (cached != null && cached.map(e -> now - e.readAt() < FRESH_MILLIS).orElse(false)) {
            return cached;
        }
        Optional<Entry> read = db.inTransaction("read hospital " + code, c -> load(c, code, now));
        if (read.isPresent() || cache.size() < 100_000) {
            cache.put(code, read);
        }
        return read;
    }

    private static Optional<Entry> load(Connection c, String code, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT fixmedins_code, fixmedins_name, hosp_lv, admdvs, signing_key FROM hospital WHERE fixmedins_code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Entry(hospital(rs), Base64.getDecoder().decode(rs.getString(5)), now));
            }
        }
    }

    private static Hospital hospital(ResultSet rs) throws SQLException {
        return new Hospital(rs.getString(1), rs.getString(2), rs.getInt(3), Admdvs.of(rs.getString(4)));
    }

    @Override
    public List<Hospital> all() {
        return db.inTransaction("list hospitals", c -> {
            List<Hospital> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT fixmedins_code, fixmedins_name, hosp_lv, admdvs FROM hospital ORDER BY fixmedins_code");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(hospital(rs));
                }
            }
            return list;
        });
    }

    @Override
    public synchronized HospitalImportResult importCsv(InputStream csv, String source, Actor actor) {
        HospitalCsv.Result read = HospitalCsv.read(csv, identity.admdvs());
        if (!read.problems().isEmpty()) {
            LOG.warn("Hospital import of {} by {} REFUSED: {} problem(s), first: {}", source, actor.name(),
                    read.problems().size(), read.problems().get(0));
            return new HospitalImportResult(read.lines(), List.of(), 0, read.problems());
        }
        Instant now = clock.instant();
        List<String> added = new ArrayList<>();
        int updated = db.inTransaction("import hospitals from " + source, c -> {
            added.clear(); // a unit of work may run again after a lock conflict
            int changed = 0;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE hospital SET fixmedins_name = ?, hosp_lv = ?, admdvs = ?, updated_at = ? WHERE fixmedins_code = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO hospital (fixmedins_code, fixmedins_name, hosp_lv, admdvs, signing_key, key_created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Hospital h : read.hospitals()) {
                    update.setString(1, h.name());
                    update.setInt(2, h.level());
                    update.setString(3, h.admdvs().code());
                    update.setTimestamp(4, Timestamp.from(now));
                    update.setString(5, h.code());
                    if (update.executeUpdate() == 1) {
                        changed++;
                        continue;
                    }
                    insert.setString(1, h.code());
                    insert.setString(2, h.name());
                    insert.setInt(3, h.level());
                    insert.setString(4, h.admdvs().code());
                    insert.setString(5, newKey());
                    insert.setTimestamp(6, Timestamp.from(now));
                    insert.setTimestamp(7, Timestamp.from(now));
                    insert.executeUpdate();
                    added.add(h.code());
                }
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "HOSPITALS_IMPORTED", source,
                    added.size() + " added, " + changed + " updated"));
            return changed;
        });
        cache.clear();
        LOG.info("Hospitals imported from {} by {}: {} added, {} updated", source, actor.name(), added.size(), updated);
        return new HospitalImportResult(read.lines(), added, updated, List.of());
    }

    private static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean verify(String code, byte[] body, String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        Optional<Entry> entry = entry(code);
        if (entry.isEmpty()) {
            return false;
        }
        byte[] expected = sign(entry.get().key(), body);
        byte[] given = signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII), given);
    }

    /** HMAC-SHA256 of {@code body} with {@code key}: what a hospital puts (hex) in {@link #SIGNATURE_HEADER}. */
    static byte[] sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public Optional<String> key(String code) {
        return entry(code).map(e -> Base64.getEncoder().encodeToString(e.key()));
    }

    @Override
    public String rotateKey(String code, Actor actor) {
        String key = newKey();
        Instant now = clock.instant();
        int rows = db.inTransaction("rotate the key of hospital " + code, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE hospital SET signing_key = ?, key_created_at = ?, updated_at = ? WHERE fixmedins_code = ?")) {
                ps.setString(1, key);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, code);
                if (ps.executeUpdate() == 0) {
                    return 0;
                }
            }
            audit.record(c, new AuditEvent(now, actor.name(), actor.channel(), "HOSPITAL_KEY_ROTATED", code,
                    "new signing key " + org.medsettle.api.KeyFingerprint.ofBase64(key)));
            return 1;
        });
        if (rows == 0) {
            throw new IllegalArgumentException("no hospital " + code + " on this node (medsettle:hospital-list)");
        }
        cache.remove(code);
        LOG.info("Signing key of hospital {} replaced by {}", code, actor.name());
        return key;
    }
}
