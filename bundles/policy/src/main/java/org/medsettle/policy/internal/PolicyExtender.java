package org.medsettle.policy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.medsettle.api.Admdvs;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.policy.Policy;
import org.medsettle.api.policy.PolicyRefusal;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyValidator;
import org.medsettle.api.policy.PolicyVersion;
import org.medsettle.api.policy.ProvincePolicy;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy extender (hot-swap contract 1). A bundle whose manifest has
 * {@code Medsettle-Policy: <path>[, <path>]} contributes those policy files while it is installed: from
 * {@code bundle:install} or a jar dropped into {@code deploy/}, through every {@code bundle:update} (re-read at
 * once, the old version in force until the new one is accepted), to {@code bundle:uninstall}. A file that fails
 * validation is refused with every problem logged; what was in force stays in force. Each province gets a
 * {@link ProvincePolicy} service with the property {@code admdvs}.
 */
@Component(service = {PolicyRegistry.class, PolicyValidator.class, HealthCheck.class}, immediate = true)
public class PolicyExtender implements PolicyRegistry, PolicyValidator, HealthCheck, BundleTrackerCustomizer<Long> {

    public static final String HEADER = "Medsettle-Policy";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyExtender.class);
    private static final int TRACKED = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    private final PolicyBook book = new PolicyBook(Clock.systemUTC());
    private final Map<Admdvs, ServiceRegistration<ProvincePolicy>> registrations = new HashMap<>();
    private final BundleContext context;
    private final BundleTracker<Long> tracker;

    @Activate
    public PolicyExtender(BundleContext context) {
        this.context = context;
        this.tracker = new BundleTracker<>(context, TRACKED, this);
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        synchronized (registrations) {
            registrations.values().forEach(PolicyExtender::unregisterQuietly);
            registrations.clear();
        }
    }

    @Override
    public Long addingBundle(Bundle bundle, BundleEvent event) {
        if (header(bundle) == null) {
            return null;
        }
        read(bundle);
        return bundle.getBundleId();
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Long id) {
        if (event != null && event.getType() == BundleEvent.UPDATED) {
            read(bundle);
        }
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
        List<PolicyVersion> gone = book.withdraw(id);
        LOG.info("Policy bundle {} uninstalled: {} withdrawn", name(bundle), describe(gone));
        publish();
    }

    private static String header(Bundle bundle) {
        return bundle.getHeaders("").get(HEADER);
    }

    /** Reads, validates and offers a bundle's policy files; refuses them all if any is bad. */
    private void read(Bundle bundle) {
        String name = name(bundle);
        String header = header(bundle);
        if (header == null) {
            List<PolicyVersion> gone = book.withdraw(bundle.getBundleId());
            LOG.warn("Bundle {} no longer has a {} header: {} withdrawn", name, HEADER, describe(gone));
            publish();
            return;
        }
        List<PolicyVersion> versions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String raw : header.split(",")) {
            String path = raw.strip();
            if (path.isEmpty()) {
                continue;
            }
            String source = name + "!/" + path;
            URL entry = bundle.getEntry(path);
            if (entry == null) {
                problems.add(source + ": no such file in the bundle");
                continue;
            }
            try (InputStream in = entry.openStream()) {
                versions.add(new PolicyVersion(PolicyParser.parse(in, source), source));
            } catch (PolicyValidationException e) {
                e.problems().forEach(p -> problems.add(source + " " + p));
            } catch (IOException e) {
                problems.add(source + ": cannot be read: " + e.getMessage());
            }
        }
        if (versions.isEmpty() && problems.isEmpty()) {
            problems.add(name + ": the " + HEADER + " header names no file");
        }
        Optional<PolicyRefusal> refusal = problems.isEmpty()
                ? book.offer(bundle.getBundleId(), new PolicyBook.Contribution(name, versions))
                : Optional.of(book.refuse(bundle.getBundleId(), name, problems));
        if (refusal.isPresent()) {
            String inForce = book.contribution(bundle.getBundleId()).map(c -> describe(c.versions()))
                    .orElse("nothing from this bundle");
            LOG.error("Policy bundle {} REFUSED, still in force: {}. Problems: {}", name, inForce,
                    String.join("; ", refusal.get().problems()));
        } else {
            LOG.info("Policy bundle {} in force: {}", name, describe(versions));
        }
        publish();
    }

    /** One {@link ProvincePolicy} service per province, registered while the province has a version. */
    private void publish() {
        synchronized (registrations) {
            Map<Admdvs, ProvincePolicy> now = new HashMap<>();
            book.provinces().forEach(p -> now.put(p.admdvs(), p));
            registrations.entrySet().removeIf(e -> {
                if (!now.containsKey(e.getKey())) {
                    unregisterQuietly(e.getValue());
                    return true;
                }
                return false;
            });
            now.forEach((admdvs, province) -> {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("admdvs", admdvs.code());
                properties.put("versions", province.versions().stream().map(PolicyVersion::version).toArray(String[]::new));
                ServiceRegistration<ProvincePolicy> registration = registrations.get(admdvs);
                if (registration == null) {
                    registrations.put(admdvs, context.registerService(ProvincePolicy.class, new LiveProvince(admdvs), properties));
                } else {
                    registration.setProperties(properties);
                }
            });
        }
    }

    /** A province's service: always answers from the book's current snapshot. */
    private final class LiveProvince implements ProvincePolicy {
        private final Admdvs admdvs;

        LiveProvince(Admdvs admdvs) {
            this.admdvs = admdvs;
        }

        @Override
        public Admdvs admdvs() {
            return admdvs;
        }

        @Override
        public List<PolicyVersion> versions() {
            return book.province(admdvs).map(ProvincePolicy::versions).orElse(List.of());
        }

        @Override
        public PolicyVersion inForce(LocalDate settlementDate) {
            return book.inForce(admdvs, settlementDate);
        }
    }

    @Override
    public List<ProvincePolicy> provinces() {
        return book.provinces();
    }

    @Override
    public Optional<ProvincePolicy> province(Admdvs province) {
        return book.province(province);
    }

    @Override
    public PolicyVersion inForce(Admdvs province, LocalDate settlementDate) {
        return book.inForce(province, settlementDate);
    }

    @Override
    public List<PolicyRefusal> refusals() {
        return book.refusals();
    }

    @Override
    public Policy validate(InputStream json, String source) {
        return PolicyParser.parse(json, source);
    }

    @Override
    public String name() {
        return "policies";
    }

    @Override
    public HealthResult check() {
        List<ProvincePolicy> provinces = book.provinces();
        List<PolicyRefusal> refused = book.refusals();
        if (provinces.isEmpty()) {
            return HealthResult.fail("no insured-province policy is installed: nothing can be settled (install medsettle-policy-<admdvs> features)");
        }
        String detail = provinces.size() + " provinces: " + provinces.stream()
                .map(p -> p.admdvs() + " " + p.versions().get(p.versions().size() - 1).version())
                .collect(Collectors.joining(", "));
        if (!refused.isEmpty()) {
            detail += "; " + refused.size() + " policy bundle(s) refused, previous versions in force (medsettle:policy-list)";
        }
        return HealthResult.ok(detail);
    }

    private static String describe(List<PolicyVersion> versions) {
        if (versions.isEmpty()) {
            return "no policy";
        }
        return versions.stream().map(v -> {
            Policy p = v.policy();
            return p.admdvs() + " " + p.version() + " from " + p.effectiveFrom();
        }).collect(Collectors.joining(", "));
    }

    private static String name(Bundle bundle) {
        return bundle.getSymbolicName() + "/" + bundle.getVersion();
    }

    private static void unregisterQuietly(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("policy service already unregistered");
        }
    }
}
