package org.medsettle.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.policy.Policy;
import org.medsettle.catalogue.internal.CatalogueCsv;
import org.medsettle.catalogue.internal.CatalogueIndex;
import org.medsettle.policy.internal.PolicyParser;

/** The reference policies and catalogues, read once per test run. */
public final class Reference {

    private static final Map<String, Policy> POLICIES = new ConcurrentHashMap<>();
    private static final Map<String, Catalogue> CATALOGUES = new ConcurrentHashMap<>();

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

    /** A reference catalogue, read and indexed by the catalogue bundle's own reader and index. */
    public static Catalogue catalogue(String admdvs) {
        return CATALOGUES.computeIfAbsent(admdvs, a -> {
            String path = "/reference/catalogues/" + a + ".csv";
            try (InputStream in = Reference.class.getResourceAsStream(path)) {
                CatalogueCsv.Result read = CatalogueCsv.read(in, lines -> { });
                if (!read.problems().isEmpty()) {
                    throw new IllegalStateException(path + ": " + read.problems());
                }
                return index(a + " reference", read.entries());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A catalogue of the given entries, as the node holds one in memory. */
    public static Catalogue index(String label, List<CatalogueEntry> entries) {
        return new CatalogueIndex(new CatalogueVersionInfo(1, label, Instant.EPOCH, "test", entries.size(), true), entries);
    }
}
