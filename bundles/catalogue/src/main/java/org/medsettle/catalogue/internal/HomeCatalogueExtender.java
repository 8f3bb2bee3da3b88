package org.medsettle.catalogue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.medsettle.api.Admdvs;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.HomeCatalogues;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The insured provinces' own catalogues (参保地目录), from the bundles that carry one (their policy bundles): manifest
 * header {@code Medsettle-Catalogue: <province>=<path>}. Read and validated as an import is; a bundle updated with a
 * catalogue that does not validate is refused (logged, {@link #describe}) and the one it gave before stays; an
 * uninstalled bundle's is withdrawn. Held in memory, looked up like the node's own catalogue.
 */
@Component(service = HomeCatalogues.class, immediate = true)
public class HomeCatalogueExtender implements HomeCatalogues, BundleTrackerCustomizer<Long> {

    public static final String HEADER = "Medsettle-Catalogue";
    private static final Logger LOG = LoggerFactory.getLogger(HomeCatalogueExtender.class);
    private static final int TRACKED = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE
            | Bundle.STOPPING;

    /** What a bundle gives: its province's catalogue, and the refusal of its latest reading if any. */
    private record Given(Admdvs province, Optional<CatalogueIndex> catalogue, String label, Optional<String> refusal) {
    }

    private final Map<Long, Given> byBundle = new ConcurrentHashMap<>();
    private final BundleTracker<Long> tracker;

    @Activate
    public HomeCatalogueExtender(BundleContext context) {
        tracker = new BundleTracker<>(context, TRACKED, this);
        tracker.open();
    }

    /** For tests: without a framework. */
    HomeCatalogueExtender() {
        tracker = null;
    }

    @Deactivate
    void deactivate() {
        if (tracker != null) {
            tracker.close();
        }
    }

    @Override
    public Long addingBundle(Bundle bundle, BundleEvent event) {
        if (bundle.getHeaders("").get(HEADER) == null) {
            return null;
        }
        read(bundle.getBundleId(), name(bundle), bundle.getHeaders("").get(HEADER), bundle::getEntry);
        return bundle.getBundleId();
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Long id) {
        if (event != null && event.getType() == BundleEvent.UPDATED) {
            String header = bundle.getHeaders("").get(HEADER);
            if (header == null) {
                removed(id, name(bundle));
            } else {
                read(id, name(bundle), header, bundle::getEntry);
            }
        }
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
        removed(id, name(bundle));
    }

    void removed(long id, String name) {
        Given gone = byBundle.remove(id);
        if (gone != null) {
            LOG.info("Catalogue of {} from {} withdrawn", gone.province(), name);
        }
    }

    private static String name(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    /** Where a bundle's files are read from (a bundle's {@code getEntry}). */
    interface Entries {
        URL entry(String path);
    }

    /** Reads a bundle's catalogue; refused as a whole if anything is wrong. */
    void read(long id, String name, String header, Entries entries) {
        String value = header.strip();
        int eq = value.indexOf('=');
        String provinceText = eq < 0 ? "" : value.substring(0, eq).strip();
        String path = eq < 0 ? "" : value.substring(eq + 1).strip();
        List<String> problems = new ArrayList<>();
        Admdvs province = null;
        if (!provinceText.matches("\\d{2}0000") || "000000".equals(provinceText)) {
            problems.add(HEADER + " is '<province>=<path>' with a province's division code (e.g. 630000=catalogue/"
                    + "630000.csv), not '" + value + "'");
        } else {
            province = Admdvs.of(provinceText);
        }
        CatalogueIndex index = null;
        String source = name + "!/" + path;
        if (problems.isEmpty()) {
            URL url = path.isEmpty() ? null : entries.entry(path);
            if (url == null) {
                problems.add(source + ": no such file in the bundle");
            } else {
                try (InputStream in = url.openStream()) {
                    CatalogueCsv.Result r = CatalogueCsv.read(in, n -> { });
                    if (r.problems().isEmpty() && r.entries().isEmpty()) {
                        problems.add(source + ": no entries");
                    }
                    r.problems().stream().limit(20).forEach(p -> problems.add(source + " " + p));
                    if (r.problems().size() > 20) {
                        problems.add(source + ": and " + (r.problems().size() - 20) + " more problems");
                    }
                    if (problems.isEmpty()) {
                        index = new CatalogueIndex(new CatalogueVersionInfo(id, source, Instant.now(), name,
                                r.entries().size(), true), r.entries());
                    }
                } catch (IOException e) {
                    problems.add(source + ": cannot be read: " + e.getMessage());
                }
            }
        }
        Given before = byBundle.get(id);
        if (!problems.isEmpty()) {
            String refusal = String.join("; ", problems);
            if (before != null && before.catalogue().isPresent()) {
                byBundle.put(id, new Given(before.province(), before.catalogue(), before.label(), Optional.of(refusal)));
                LOG.error("Catalogue of {} REFUSED, the one it gave before stays ({}): {}", name, before.label(), refusal);
            } else {
                byBundle.put(id, new Given(province, Optional.empty(), source, Optional.of(refusal)));
                LOG.error("Catalogue of {} REFUSED: {}", name, refusal);
            }
            return;
        }
        String label = source + " (" + index.entryCount() + " entries)";
        byBundle.put(id, new Given(province, Optional.of(index), label, Optional.empty()));
        LOG.info("Catalogue of insured province {} (参保地目录) in force: {}", province, label);
    }

    @Override
    public Optional<Catalogue> of(Admdvs insuredProvince) {
        Admdvs p = insuredProvince.province();
        return byBundle.entrySet().stream().filter(e -> p.equals(e.getValue().province())
                        && e.getValue().catalogue().isPresent())
                .max(Map.Entry.comparingByKey()).flatMap(e -> e.getValue().catalogue().map(c -> (Catalogue) c));
    }

    @Override
    public List<String> describe() {
        Map<String, String> lines = new TreeMap<>();
        byBundle.values().forEach(g -> lines.merge(g.province() == null ? "?" : g.province().code(),
                g.catalogue().map(c -> g.label()).orElse("none")
                        + g.refusal().map(r -> "; REFUSED: " + r).orElse(""), (a, b) -> a + "; " + b));
        List<String> out = new ArrayList<>();
        lines.forEach((p, l) -> out.add(p + ": " + l));
        return out;
    }
}
