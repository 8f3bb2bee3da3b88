package org.medsettle.catalogue.internal;

import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

import org.medsettle.api.BusinessClock;
import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueActivation;
import org.medsettle.api.catalogue.CatalogueAdmin;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueStore;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.ImportResult;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.NodeRole;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.store.Actor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's treatment-place catalogue: the active version in memory for look-ups, imports and rollbacks
 * through the store. A new version replaces the old in one step: a look-up sees one or the other, never a mix.
 */
@Component(service = {Catalogue.class, CatalogueAdmin.class, HealthCheck.class})
public class CatalogueService implements Catalogue, CatalogueAdmin, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogueService.class);

    private final CatalogueStore store;
    private volatile CatalogueIndex active;

    /** Only to know whether hospitals depend on the catalogue: a node without hospitals needs none yet. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HospitalRegistry hospitals;

    /** Only to know the role: the hub has no catalogue and needs none. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile InstanceIdentity identity;

    /** How often the active version is compared with the database's: another instance may have activated one. */
    static final long FOLLOW_SECONDS = 5;

    private final java.util.concurrent.ScheduledExecutorService follower;

    @Activate
    public CatalogueService(@Reference CatalogueStore store) {
        this.store = store;
        this.active = store.active().map(v -> new CatalogueIndex(v, store.entries(v.id()))).orElse(null);
        LOG.info("Catalogue: {}", active == null ? "none imported yet" : active.version().label());
        this.follower = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-catalogue-follower");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(this::followQuietly, FOLLOW_SECONDS, FOLLOW_SECONDS,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        follower.shutdownNow();
    }

    private void followQuietly() {
        try {
            follow();
        } catch (RuntimeException e) {
            LOG.warn("Could not compare the active catalogue with the database's ({}); tried again in {} s",
                    e.getMessage(), FOLLOW_SECONDS);
        }
    }

    /**
     * Several instances of one province on one database: when another instance has imported or activated a version,
     * this one loads it (the lookups keep using the old one until the new one is loaded whole).
     *
     * @return whether the active version changed here
     */
    synchronized boolean follow() {
        Optional<CatalogueVersionInfo> inDatabase = store.active();
        CatalogueIndex index = active;
        long here = index == null ? -1 : index.version().id();
        if (inDatabase.isEmpty() || inDatabase.get().id() == here) {
            return false;
        }
        CatalogueVersionInfo version = inDatabase.get();
        active = new CatalogueIndex(version, store.entries(version.id()));
        LOG.info("Catalogue {} made active by another instance of this database: now active here too (was {})",
                version.label(), index == null ? "none" : index.version().label());
        return true;
    }

    @Override
    public Optional<CatalogueEntry> lookup(String medListCodg, LocalDate date) {
        CatalogueIndex index = active;
        return index == null ? Optional.empty() : index.lookup(medListCodg, date);
    }

    @Override
    public String activeVersion() {
        CatalogueIndex index = active;
        return index == null ? "none" : index.activeVersion();
    }

    @Override
    public synchronized ImportResult importCsv(InputStream csv, String source, Actor actor, IntConsumer progress) {
        long start = System.nanoTime();
        CatalogueCsv.Result read = CatalogueCsv.read(csv, progress);
        if (!read.problems().isEmpty()) {
            LOG.warn("Catalogue import of {} by {} REFUSED: {} problem(s), first: {}", source, actor.name(), read.problems().size(),
                    read.problems().get(0));
            return new ImportResult(Optional.empty(), read.lines(), read.problems(), Duration.ofNanos(System.nanoTime() - start));
        }
        CatalogueIndex before = active;
        CatalogueVersionInfo saved = store.save(source, actor, read.entries());
        CatalogueIndex index = new CatalogueIndex(store.activate(saved.id(), actor), read.entries());
        active = index;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // what the new version covers today against what the one it replaces did: a file of the wrong year or a
        // truncated extract is active at once, and every code it lacks is paid in full by the patient from now on
        LocalDate today = BusinessClock.today();
        ImportResult result = new ImportResult(Optional.of(index.version()), read.lines(), List.of(), took,
                index.validOn(today), replaced(before, today));
        LOG.info("Catalogue {} imported by {} and active: {} entries, {}, in {} ms", index.version().label(),
                actor.name(), read.lines(), result.coverage(), took.toMillis());
        result.warning().ifPresent(warning -> LOG.warn("Catalogue {} imported by {}: {}", index.version().label(),
                actor.name(), warning));
        return result;
    }

    @Override
    public synchronized CatalogueActivation reactivate(long versionId, Actor actor) {
        CatalogueIndex before = active;
        List<CatalogueEntry> entries = store.entries(versionId);
        CatalogueVersionInfo version = store.activate(versionId, actor);
        CatalogueIndex index = new CatalogueIndex(version, entries);
        active = index;
        LocalDate today = BusinessClock.today();
        CatalogueActivation result = new CatalogueActivation(version, index.validOn(today), replaced(before, today));
        LOG.info("Catalogue {} made active again by {}: {}", version.label(), actor.name(), result.coverage());
        result.warning().ifPresent(warning -> LOG.warn("Catalogue {} made active again by {}: {}", version.label(),
                actor.name(), warning));
        return result;
    }

    /** The version that was active before an import or an activation, with the codes it covered {@code today}. */
    private static Optional<ImportResult.Replaced> replaced(CatalogueIndex before, LocalDate today) {
        return Optional.ofNullable(before).map(b -> new ImportResult.Replaced(b.version(), b.validOn(today)));
    }

    @Override
    public List<CatalogueVersionInfo> versions() {
        return store.versions();
    }

    @Override
    public String name() {
        return "catalogue";
    }

    @Override
    public HealthResult check() {
        CatalogueIndex index = active;
        InstanceIdentity instance = identity;
        if (index == null && instance != null && instance.role() == NodeRole.HUB) {
            return HealthResult.ok("not used on the national hub");
        }
        HospitalRegistry registry = hospitals;
        if (index == null && registry != null && registry.all().isEmpty()) {
            return HealthResult.ok("none yet; needed once the node has hospitals (medsettle:catalogue-import <file>)");
        }
        if (index == null) {
            return HealthResult.fail("no treatment-place catalogue is active: nothing can be classified"
                    + " (medsettle:catalogue-import <file>)");
        }
        return HealthResult.ok(index.version().label() + ", " + index.version().entries() + " entries");
    }
}
