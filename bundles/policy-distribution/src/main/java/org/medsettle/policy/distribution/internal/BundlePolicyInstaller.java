package org.medsettle.policy.distribution.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.medsettle.api.Admdvs;
import org.medsettle.api.policy.PolicyDistribution;
import org.medsettle.api.policy.PolicyRefusal;
import org.medsettle.api.policy.PolicyRegistry;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Installs a published policy version as a policy bundle of its own — made here, in memory: the policy file and a
 * manifest with the {@code Medsettle-Policy} header — so that the policy extender validates it and puts it in force as
 * any policy bundle (or refuses it, the versions before staying in force). Its location
 * {@code medsettle:published-policy/<province>/<version>} marks it; it stays installed across restarts (the framework's
 * bundle cache), is never updated (a published version does not change) and is removed with {@code bundle:uninstall}.
 */
final class BundlePolicyInstaller implements PolicyInstaller {

    static final String LOCATION = "medsettle:published-policy/";
    static final String SHA_HEADER = "Medsettle-Published-Sha256";

    private final BundleContext context;
    private final PolicyRegistry policies;

    BundlePolicyInstaller(BundleContext context, PolicyRegistry policies) {
        this.context = context;
        this.policies = policies;
    }

    static String symbolicName(Key key) {
        return "medsettle-policy-" + key.province() + "-published-" + key.version().replaceAll("[^A-Za-z0-9.]", "_");
    }

    @Override
    public Map<Key, String> installed() {
        Map<Key, String> out = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if (location.startsWith(LOCATION)) {
                String[] parts = location.substring(LOCATION.length()).split("/", 2);
                if (parts.length == 2) {
                    out.put(new Key(parts[0], parts[1]), String.valueOf(b.getHeaders("").get(SHA_HEADER)));
                }
            }
        }
        return out;
    }

    @Override
    public void install(Key key, String sha256, byte[] policyJson) {
        try {
            Bundle b = context.installBundle(LOCATION + key.province() + "/" + key.version(),
                    new ByteArrayInputStream(jar(key, sha256, policyJson)));
            // data only: started like the shipped policy bundles (the extender has read it already, when installed)
            b.start();
        } catch (BundleException e) {
            throw new IllegalStateException("policy " + key.version() + " of " + key.province() + " not installed: "
                    + e.getMessage(), e);
        }
    }

    static byte[] jar(Key key, String sha256, byte[] policyJson) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName(key));
        a.putValue("Bundle-Version", "0.0.0");
        a.putValue("Bundle-Name", "medsettle :: policy " + key.province() + " " + key.version() + " (published through "
                + "the national hub)");
        a.putValue("Bundle-Category", "medsettle-policy");
        String path = "policy/" + key.province() + "-" + key.version().replaceAll("[^A-Za-z0-9.]", "_") + ".json";
        a.putValue("Medsettle-Policy", path);
        a.putValue(SHA_HEADER, sha256);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, m)) {
            jar.putNextEntry(new JarEntry(path));
            jar.write(policyJson);
            jar.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public String state(Key key) {
        String name = symbolicName(key);
        boolean inForce = policies.province(Admdvs.of(key.province())).map(p -> p.versions().stream()
                .anyMatch(v -> v.source().startsWith(name + "/") && v.version().equals(key.version()))).orElse(false);
        if (inForce) {
            return PolicyDistribution.IN_FORCE;
        }
        Optional<PolicyRefusal> refused = policies.refusals().stream().filter(r -> r.bundle().startsWith(name + "/"))
                .findFirst();
        return PolicyDistribution.REFUSED + ": " + refused.map(r -> String.join("; ", r.problems()))
                .orElse("not read by the policy extender (feature medsettle-policy; medsettle:policy-list)");
    }
}
