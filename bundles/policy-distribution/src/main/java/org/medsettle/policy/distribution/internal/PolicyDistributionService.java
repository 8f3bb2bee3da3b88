package org.medsettle.policy.distribution.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.policy.InvalidPolicyException;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.PolicyDistribution;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyValidator;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy distribution at a node (issue 14): an administrator publishes a version of this province's policy once
 * ({@code medsettle:policy-publish}: validated here, then {@code POLICY_PUBLISH} to the hub); every
 * {@code pollSeconds} the node reads the hub's list ({@code POLICY_LIST}), fetches each version it has not installed
 * ({@code POLICY_FETCH}, its sha256 checked), installs it as a policy bundle ({@link PolicyInstaller}: the policy
 * extender validates it, a refused one leaves the versions before in force) and tells the hub whether it is in force
 * here ({@code POLICY_STATUS}, again after each start and whenever it changes).
 */
@Component(service = PolicyDistribution.class, configurationPid = "org.medsettle.policy.distribution")
@Designate(ocd = PolicyDistributionConfig.class)
public class PolicyDistributionService implements PolicyDistribution {

    static final String PUBLISH = "POLICY_PUBLISH";
    static final String LIST = "POLICY_LIST";
    static final String FETCH = "POLICY_FETCH";
    static final String STATUS = "POLICY_STATUS";
    static final Admdvs HUB = org.medsettle.support.link.HubQuestions.HUB;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PolicyDistributionService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Admdvs self;
    private final NationalLink link;
    private final PolicyValidator validator;
    private final AuditLog audit;
    private final PolicyInstaller installer;
    private final Clock clock;
    private final int pollSeconds;
    /** The hub's list as last read. */
    private volatile List<Published> published = List.of();
    /** What this node last told the hub of each version. */
    private final Map<PolicyInstaller.Key, String> reported = new ConcurrentHashMap<>();
    private volatile String problem = "";
    private ScheduledExecutorService follower;

    @Activate
    public PolicyDistributionService(BundleContext context, PolicyDistributionConfig config,
                                     @Reference(target = "(role~=node)") InstanceIdentity identity,
                                     @Reference NationalLink link, @Reference PolicyRegistry policies,
                                     @Reference PolicyValidator validator, @Reference AuditLog audit) {
        this(identity.admdvs(), link, validator, audit, new BundlePolicyInstaller(context, policies),
                org.medsettle.api.BusinessClock.system(), config.pollSeconds());
        follower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-policy-distribution");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(this::followQuietly, 3, Math.max(1, pollSeconds), TimeUnit.SECONDS);
        LOG.info("Policy distribution at {}: the hub's published policies read every {} s; {} installed from it",
                self, pollSeconds, installer.installed().size());
    }

    /** For tests (a factory, not a public constructor: docs/stack.md, trap 55); nothing read by itself. */
    static PolicyDistributionService of(Admdvs self, NationalLink link, PolicyValidator validator, AuditLog audit,
                                        PolicyInstaller installer, Clock clock) {
        return new PolicyDistributionService(self, link, validator, audit, installer, clock, 30);
    }

    private PolicyDistributionService(Admdvs self, NationalLink link, PolicyValidator validator, AuditLog audit,
                                      PolicyInstaller installer, Clock clock, int pollSeconds) {
        this.self = self;
        this.link = link;
        this.validator = validator;
        this.audit = audit;
        this.installer = installer;
        this.clock = clock;
        this.pollSeconds = pollSeconds;
    }

    @Deactivate
    void deactivate() {
        if (follower != null) {
            follower.shutdownNow();
        }
    }

    private void followQuietly() {
        try {
            follow();
            problem = "";
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(problem)) {
                LOG.warn("The national hub's published policies could not be read or installed now ({}): tried again "
                        + "every {} s", e.getMessage(), pollSeconds);
            }
            problem = String.valueOf(e.getMessage());
        }
    }

    /** One round: the hub's list read; what is missing fetched and installed; each version's state told. */
    void follow() {
        JsonNode list = ask(LIST, JSON.createObjectNode()).path("policies");
        List<Published> read = new ArrayList<>();
        for (JsonNode p : list) {
            Map<String, String> at = new HashMap<>();
            p.path("at_nodes").fields().forEachRemaining(e -> at.put(e.getKey(), e.getValue().asText()));
            read.add(new Published(Admdvs.of(p.path("province").asText()), p.path("version").asText(),
                    LocalDate.parse(p.path("effective_from").asText()), p.path("sha256").asText(),
                    Instant.parse(p.path("published_at").asText()), p.path("published_by").asText(), at));
        }
        published = List.copyOf(read);
        Map<PolicyInstaller.Key, String> installed = installer.installed();
        for (Published p : read) {
            PolicyInstaller.Key key = new PolicyInstaller.Key(p.province().code(), p.version());
            if (!installed.containsKey(key)) {
                ObjectNode q = JSON.createObjectNode();
                q.put("province", key.province());
                q.put("version", key.version());
                JsonNode fetched = ask(FETCH, q);
                byte[] body = fetched.path("policy").asText("").getBytes(StandardCharsets.UTF_8);
                String sha = org.medsettle.support.Sha256.hex(body);
                if (!sha.equals(p.sha256()) || !sha.equals(fetched.path("sha256").asText())) {
                    LOG.error("Policy {} of {} fetched from the hub does not match its sha256 ({} listed, {} received): "
                            + "not installed", key.version(), key.province(), p.sha256(), sha);
                    continue;
                }
                installer.install(key, sha, body);
                String state = installer.state(key);
                if (IN_FORCE.equals(state)) {
                    LOG.info("Policy {} of {} (effective from {}) published through the hub by {}: installed, in force",
                            key.version(), key.province(), p.effectiveFrom(), p.publishedBy());
                } else {
                    LOG.error("Policy {} of {} published through the hub: installed but {}; the versions before stay "
                            + "in force", key.version(), key.province(), state);
                }
            }
            tell(key, installer.state(key));
        }
    }

    /** Tells the hub the state of a version here, if it changed since it was last told (or not told since the start). */
    private void tell(PolicyInstaller.Key key, String state) {
        if (state.equals(reported.get(key))) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("province", key.province());
        body.put("version", key.version());
        boolean inForce = IN_FORCE.equals(state);
        body.put("state", inForce ? IN_FORCE : REFUSED);
        body.put("detail", inForce ? "" : state.replaceFirst("^" + REFUSED + ": ", ""));
        ask(STATUS, body);
        reported.put(key, state);
    }

    @Override
    public String publish(byte[] policyJson, Actor actor) {
        Policy policy;
        try {
            policy = validator.validate(new ByteArrayInputStream(policyJson), "the file to publish");
        } catch (InvalidPolicyException e) {
            throw new IllegalArgumentException("not published, the policy is not valid: " + e.getMessage(), e);
        }
        if (!policy.admdvs().province().equals(self.province())) {
            throw new IllegalArgumentException("not published: this is the node of " + self.province() + ", the policy "
                    + "is of " + policy.admdvs() + " (a province publishes its own)");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("policy", new String(policyJson, StandardCharsets.UTF_8));
        body.put("by", actor.name().length() > 64 ? actor.name().substring(0, 64) : actor.name());
        JsonNode answer = ask(PUBLISH, body);
        boolean again = answer.path("again").asBoolean(false);
        if (!again) {
            audit.record(new AuditEvent(clock.instant(), actor.name(), actor.channel(), "POLICY_PUBLISHED",
                    self.province().code(), "version " + policy.version() + " effective from " + policy.effectiveFrom()
                    + ", sha256 " + answer.path("published").path("sha256").asText() + ", through the national hub"));
        }
        LOG.info("Policy {} of {} (effective from {}) published through the national hub by {}{}", policy.version(),
                policy.admdvs(), policy.effectiveFrom(), actor.name(), again ? " (again: it was published before)" : "");
        followQuietly();
        return (again ? "Already published (the same content): " : "Published: ") + "policy " + policy.version() + " of "
                + policy.admdvs() + ", effective from " + policy.effectiveFrom() + "; every node installs it within its "
                + "pollSeconds (medsettle:policy-list at the hub shows where it is in force)";
    }

    @Override
    public List<Published> published() {
        return published;
    }

    /** Asks the hub; its refusal becomes an IllegalArgumentException, no answer a LinkUnavailableException. */
    private JsonNode ask(String type, ObjectNode body) {
        return org.medsettle.support.link.HubQuestions.ask(link, self, "po", type, body, TIMEOUT);
    }
}
