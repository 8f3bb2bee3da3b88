package org.medsettle.policy.distribution.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.policy.InvalidPolicyException;
import org.medsettle.api.policy.PolicyDistribution;
import org.medsettle.api.store.Actor;
import org.medsettle.hub.internal.HubComponent;
import org.medsettle.hub.internal.HubPolicies;
import org.medsettle.policy.internal.PolicyParser;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.AnsweringLink;
import org.medsettle.store.testing.TestStores;

/**
 * A policy version published at 630000's node, kept by the hub, fetched and installed at 330000's node, its state told
 * to the hub; what the publisher or the hub refuses; a version the installing node's policy extender refuses.
 */
@org.junit.jupiter.api.Tag("database")
class PolicyDistributionServiceTest {

    private static final Admdvs QH = Admdvs.of("630000");
    private static final Admdvs ZJ = Admdvs.of("330000");
    private static final Actor ADMIN = Actor.console("admin");

    private final StoreComponent hubStore = TestStores.fresh();
    private final HubPolicies hub;
    private final ObjectMapper json = new ObjectMapper();

    PolicyDistributionServiceTest() {
        hubStore.applyOwnSchema(HubComponent.class.getClassLoader(), "db/hub", "medsettle-hub");
        hub = new HubPolicies(hubStore, hubStore, Clock.systemUTC());
        link = new AnsweringLink(q -> hub.answer(q.from(), q.type(), json.readTree(q.body())).toString());
    }

    /** A node's link to the hub: its questions answered by the hub's own code, its refusals thrown back. */
    private final AnsweringLink link;

    /** Installs into memory and validates as the policy extender does (the parser), refusing a bad file. */
    private static final class Installed implements PolicyInstaller {
        final Map<Key, String> shas = new HashMap<>();
        final Map<Key, String> states = new HashMap<>();
        int installs;

        public Map<Key, String> installed() {
            return Map.copyOf(shas);
        }

        public void install(Key key, String sha256, byte[] policyJson) {
            installs++;
            shas.put(key, sha256);
            try {
                PolicyParser.parse(new ByteArrayInputStream(policyJson), key.version());
                states.put(key, PolicyDistribution.IN_FORCE);
            } catch (InvalidPolicyException e) {
                states.put(key, PolicyDistribution.REFUSED + ": " + e.getMessage());
            }
        }

        public String state(Key key) {
            return states.get(key);
        }
    }

    private PolicyDistributionService node(Admdvs province, Installed installed) {
        return PolicyDistributionService.of(province, link, (in, source) -> PolicyParser.parse(in, source),
                hubStore, installed, Clock.systemUTC());
    }

    private static String policy(String version, String effectiveFrom) throws IOException {
        try (InputStream in = PolicyDistributionServiceTest.class.getResourceAsStream("/630000.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("\"version\": \"2026.1\"", "\"version\": \"" + version + "\"")
                    .replace("\"effectiveFrom\": \"2026-01-01\"", "\"effectiveFrom\": \"" + effectiveFrom + "\"");
        }
    }

    @Test
    void aVersionPublishedAtItsProvincesNodeIsInstalledAtAnotherAndItsStateIsKnownAtTheHub() throws IOException {
        Installed atQinghai = new Installed();
        Installed atZhejiang = new Installed();
        PolicyDistributionService qinghai = node(QH, atQinghai);
        PolicyDistributionService zhejiang = node(ZJ, atZhejiang);
        String text = policy("2027.1", "2027-01-01");
        String said = qinghai.publish(text.getBytes(StandardCharsets.UTF_8), ADMIN);
        assertTrue(said.startsWith("Published: policy 2027.1 of 630000, effective from 2027-01-01"), said);
        // the publisher installed it too (it read the list after publishing)
        assertEquals(PolicyDistribution.IN_FORCE, atQinghai.state(new PolicyInstaller.Key("630000", "2027.1")));
        zhejiang.follow();
        assertEquals(PolicyDistribution.IN_FORCE, atZhejiang.state(new PolicyInstaller.Key("630000", "2027.1")));
        zhejiang.follow();
        assertEquals(1, atZhejiang.installs, "installed once");
        PolicyDistribution.Published p = hub.published().get(0);
        assertEquals(Map.of("630000", "IN_FORCE", "330000", "IN_FORCE"), p.atNodes());
        assertEquals("2027.1", p.version());
        assertTrue(hubStore.recent(10, java.util.Optional.of("POLICY_PUBLISHED")).stream()
                .anyMatch(r -> "admin@630000".equals(r.event().actor())), "audited at the hub");
        // published again with the same content: answered as the first time; other content under it: refused
        assertTrue(qinghai.publish(text.getBytes(StandardCharsets.UTF_8), ADMIN).startsWith("Already published"));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> qinghai.publish(
                text.replace("\"name\": \"青海省\"", "\"name\": \"青海\"").getBytes(StandardCharsets.UTF_8), ADMIN));
        assertTrue(other.getMessage().contains("published before with other content"), other.getMessage());
    }

    @Test
    void whatIsNotAValidPolicyOfTheNodesOwnProvinceIsNotPublished() throws IOException {
        PolicyDistributionService zhejiang = node(ZJ, new Installed());
        IllegalArgumentException another = assertThrows(IllegalArgumentException.class,
                () -> zhejiang.publish(policy("2027.1", "2027-01-01").getBytes(StandardCharsets.UTF_8), ADMIN));
        assertTrue(another.getMessage().contains("a province publishes its own"), another.getMessage());
        PolicyDistributionService qinghai = node(QH, new Installed());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> qinghai.publish(
                policy("2027.1", "2027-01-01").replace("\"TEMPORARY\": 0.15", "\"TEMPORARY\": 0.35")
                        .getBytes(StandardCharsets.UTF_8), ADMIN));
        assertTrue(invalid.getMessage().contains("not valid"), invalid.getMessage());
        assertTrue(hub.published().isEmpty(), "nothing reached the hub");
        link.down = true;
        assertThrows(LinkUnavailableException.class, () -> qinghai.publish(policy("2027.1", "2027-01-01")
                .getBytes(StandardCharsets.UTF_8), ADMIN));
        // the hub itself refuses another province's, whoever sends it
        link.down = false;
        IllegalArgumentException forged = assertThrows(IllegalArgumentException.class, () -> hub.answer(ZJ,
                "POLICY_PUBLISH", json.createObjectNode().put("policy", policy("2027.1", "2027-01-01")).put("by", "x")));
        assertTrue(forged.getMessage().contains("only its own province's"), forged.getMessage());
    }

    @Test
    void aVersionTheInstallingNodeRefusesIsToldToTheHubAsRefused() throws IOException {
        // valid at the hub's level (its province, version, date), but not a policy the extender accepts
        String broken = policy("2027.2", "2027-02-01").replace("\"repeatAdmissionFactor\": 0.5", "\"repeatAdmissionFactor\": 1.5");
        hub.answer(QH, "POLICY_PUBLISH", json.createObjectNode().put("policy", broken).put("by", "admin"));
        Installed atZhejiang = new Installed();
        node(ZJ, atZhejiang).follow();
        String state = hub.published().get(0).atNodes().get("330000");
        assertTrue(state.startsWith("REFUSED: "), state);
    }
}
