package org.medsettle.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.medsettle.api.policy.Policy;
import org.medsettle.policy.internal.PolicyParser;

/** The reference policies and catalogues, read once per test run. */
public final class Reference {

    private static final Map<String, Policy> POLICIES = new ConcurrentHashMap<>();
    private static final Map<String, ListCatalogue> CATALOGUES = new ConcurrentHashMap<>();

    private Reference() {
    }

    public static Policy policy(String admdvs) {
        return POLICIES.computeIfAbsent(admdvs, a -> {
            String path = "/reference/policies/" + a + ".json";
            try (InputStream in = Reference.class.getResourceAsStream(path)) {
                return PolicyParser.parse(in, path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static ListCatalogue catalogue(String admdvs) {
        return CATALOGUES.computeIfAbsent(admdvs, ListCatalogue::reference);
    }
}
