package org.medsettle.hub.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.policy.PolicyDistribution;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Transactor;
import org.medsettle.link.internal.wire.WireJson;

/**
 * The policy versions published through the hub (table {@code hub_policy}) and what each node said of them (table
 * {@code hub_policy_status}), both written by the hub alone: a node publishes its own province's
 * ({@code POLICY_PUBLISH}, once per version; the same content again is answered as the first time, other content
 * under a published version is refused), every node lists them ({@code POLICY_LIST}), fetches one
 * ({@code POLICY_FETCH}) and says whether it is in force there ({@code POLICY_STATUS}). A publication is audited at the
 * hub with the node's user. The hub checks the envelope of a policy (its province is the sender's, a version, an
 * effective date, at most {@value #MAX_CHARS} characters); the publishing node validated it in full, and every node
 * validates it again before it is in force.
 */
public final class HubPolicies {

    static final String PUBLISH = "POLICY_PUBLISH";
    static final String LIST = "POLICY_LIST";
    static final String FETCH = "POLICY_FETCH";
    static final String STATUS = "POLICY_STATUS";
    static final int MAX_CHARS = 32_000;
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transactor db;
    private final AuditLog audit;
    private final Clock clock;

    public HubPolicies(Transactor db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    static boolean handles(String type) {
        return PUBLISH.equals(type) || LIST.equals(type) || FETCH.equals(type) || STATUS.equals(type);
    }

    /**
     * The answer to a policy message of {@code sender}.
     *
     * @throws IllegalArgumentException if it is refused (with the reason)
     */
    public ObjectNode answer(Admdvs sender, String type, JsonNode body) {
        return switch (type) {
            case PUBLISH -> publish(sender, body.path("policy").asText(""), body.path("by").asText(""));
            case LIST -> list();
            case FETCH -> fetch(body.path("province").asText(""), body.path("version").asText(""));
            case STATUS -> status(sender, body);
            default -> throw new IllegalArgumentException("not a policy message: " + type);
        };
    }

    private ObjectNode publish(Admdvs sender, String text, String by) {
        if (by.isBlank() || by.length() > 64) {
            throw new IllegalArgumentException("a publication names who published it (1 to 64 characters)");
        }
        if (text.isBlank() || text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a policy file of 1 to " + MAX_CHARS + " characters");
        }
        JsonNode policy;
        try {
            policy = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the policy is not JSON: " + e.getOriginalMessage());
        }
        String province = policy.path("admdvs").asText("");
        if (!sender.province().code().equals(province)) {
            throw new IllegalArgumentException("a node publishes only its own province's policy: this is " + sender
                    .province() + "'s node, the file is of '" + province + "'");
        }
        String version = policy.path("version").asText("");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version: 1 to 40 letters, digits, '.', '_' or '-', not '" + version + "'");
        }
        LocalDate effective;
        try {
            effective = LocalDate.parse(policy.path("effectiveFrom").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("effectiveFrom: a date yyyy-MM-dd, not '"
                    + policy.path("effectiveFrom").asText("") + "'");
        }
        String sha = org.medsettle.support.Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
        Instant now = clock.instant();
        return db.inTransaction("publish policy " + version + " of " + province, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM hub_policy WHERE admdvs = ? AND version = ?")) {
                ps.setString(1, province);
                ps.setString(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (!sha.equals(rs.getString(1))) {
                            throw new IllegalArgumentException("version " + version + " of " + province + " was published "
                                    + "before with other content: publish the change as a new version");
                        }
                        return published(province, version, effective, sha, true);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_policy (admdvs, version, effective_from, "
                    + "sha256, body, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, province);
                ps.setString(2, version);
                ps.setDate(3, Date.valueOf(effective));
                ps.setString(4, sha);
                ps.setString(5, text);
                ps.setTimestamp(6, Timestamp.from(now));
                ps.setString(7, by);
                ps.executeUpdate();
            }
            audit.record(c, new AuditEvent(now, by + "@" + sender.code(), AuditChannel.LINK, "POLICY_PUBLISHED", province,
                    "version " + version + " effective from " + effective + ", sha256 " + sha));
            return published(province, version, effective, sha, false);
        });
    }

    private static ObjectNode published(String province, String version, LocalDate effective, String sha, boolean again) {
        ObjectNode out = WireJson.object();
        ObjectNode p = out.putObject("published");
        p.put("province", province);
        p.put("version", version);
        p.put("effective_from", effective.toString());
        p.put("sha256", sha);
        out.put("again", again);
        return out;
    }

    private ObjectNode list() {
        ObjectNode out = WireJson.object();
        ArrayNode list = out.putArray("policies");
        for (PolicyDistribution.Published p : published()) {
            ObjectNode o = list.addObject();
            o.put("province", p.province().code());
            o.put("version", p.version());
            o.put("effective_from", p.effectiveFrom().toString());
            o.put("sha256", p.sha256());
            o.put("published_at", p.publishedAt().toString());
            o.put("published_by", p.publishedBy());
            ObjectNode at = o.putObject("at_nodes");
            p.atNodes().forEach(at::put);
        }
        return out;
    }

    /** Every published version, by province and effective date, with what each node said of it. */
    public List<PolicyDistribution.Published> published() {
        return db.inTransaction("read the published policies", c -> {
            Map<String, Map<String, String>> states = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT admdvs, version, node, state, detail FROM "
                    + "hub_policy_status ORDER BY node"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(4);
                    String detail = rs.getString(5);
                    states.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new LinkedHashMap<>())
                            .put(rs.getString(3), PolicyDistribution.REFUSED.equals(state) && !detail.isEmpty()
                                    ? state + ": " + detail : state);
                }
            }
            List<PolicyDistribution.Published> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT admdvs, version, effective_from, sha256, published_at, "
                    + "published_by FROM hub_policy ORDER BY admdvs, effective_from, version");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PolicyDistribution.Published(Admdvs.of(rs.getString(1)), rs.getString(2),
                            rs.getDate(3).toLocalDate(), rs.getString(4), rs.getTimestamp(5).toInstant(),
                            rs.getString(6), states.getOrDefault(rs.getString(1) + "/" + rs.getString(2), Map.of())));
                }
            }
            return out;
        });
    }

    private ObjectNode fetch(String province, String version) {
        return db.inTransaction("read policy " + version + " of " + province, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256, body FROM hub_policy WHERE admdvs = ? AND "
                    + "version = ?")) {
                ps.setString(1, province);
                ps.setString(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no version '" + version + "' of '" + province
                                + "' was published");
                    }
                    ObjectNode out = WireJson.object();
                    out.put("province", province);
                    out.put("version", version);
                    out.put("sha256", rs.getString(1));
                    out.put("policy", rs.getString(2));
                    return out;
                }
            }
        });
    }

    private ObjectNode status(Admdvs sender, JsonNode body) {
        String province = body.path("province").asText("");
        String version = body.path("version").asText("");
        String state = body.path("state").asText("");
        String detail = body.path("detail").asText("");
        if (!PolicyDistribution.IN_FORCE.equals(state) && !PolicyDistribution.REFUSED.equals(state)) {
            throw new IllegalArgumentException("state: IN_FORCE or REFUSED, not '" + state + "'");
        }
        Instant now = clock.instant();
        String shortDetail = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
        return db.inTransaction("record the state of policy " + version + " of " + province + " at " + sender, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM hub_policy WHERE admdvs = ? AND version = ?")) {
                ps.setString(1, province);
                ps.setString(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no version '" + version + "' of '" + province
                                + "' was published");
                    }
                }
            }
            Object[] values = {state, shortDetail, Timestamp.from(now), sender.code(), province, version};
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE hub_policy_status SET state = ?, detail = ?, "
                    + "reported_at = ? WHERE node = ? AND admdvs = ? AND version = ?")) {
                bind(ps, values);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_policy_status (state, detail, reported_at, "
                        + "node, admdvs, version) VALUES (?, ?, ?, ?, ?, ?)")) {
                    bind(ps, values);
                    ps.executeUpdate();
                }
            }
            ObjectNode out = WireJson.object();
            out.put("recorded", true);
            return out;
        });
    }

    private static void bind(PreparedStatement ps, Object[] values) throws java.sql.SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }
}
