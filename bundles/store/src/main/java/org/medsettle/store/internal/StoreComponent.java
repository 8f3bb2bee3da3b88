package org.medsettle.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueStore;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.Money;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.model.Person;
import org.medsettle.api.person.PersonStore;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AppliedMigration;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.AuditRecord;
import org.medsettle.api.store.Database;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on the DataSource that pax-jdbc-config publishes from {@code etc/org.ops4j.datasource-medsettle.cfg}.
 * At activation the schema is migrated to the shipped version; if that fails, activation fails, the services
 * are not published, and {@code medsettle:health} reports the reason.
 *
 * <p>Which DataSource is used is configuration: {@code DataSource.target} in {@code etc/org.medsettle.store.cfg}.
 */
@Component(configurationPid = "org.medsettle.store", service = {Database.class, AuditLog.class, CatalogueStore.class, PersonStore.class, Transactor.class, HealthCheck.class,
        org.medsettle.api.store.Leases.class})
public class StoreComponent implements Database, AuditLog, CatalogueStore, PersonStore, Transactor, HealthCheck,
        org.medsettle.api.store.Leases {

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

    private final JdbcDatabase database;
    private final JdbcAuditLog auditLog;
    private final JdbcCatalogueStore catalogues;
    private final JdbcPersonStore persons;
    private final DataSource dataSource;
    private final IdBlocks idBlocks;
    private final DiskGuard disk;
    private final JdbcLeases leases;

    @Activate
    public StoreComponent(@Reference(name = "DataSource", target = "(osgi.jndi.service.name=medsettle)")
                          DataSource dataSource) {
        tune(dataSource);
        List<Migration> shipped = MigrationLoader.shipped().load();
        SchemaMigrator migrator = new SchemaMigrator(dataSource, Clock.systemUTC());
        int version;
        try {
            version = migrator.migrate(shipped);
        } catch (MigrationException e) {
            LOG.error("Store NOT started: {}", e.getMessage());
            throw e;
        }
        this.database = new JdbcDatabase(dataSource, migrator, version);
        this.auditLog = new JdbcAuditLog(dataSource);
        this.catalogues = new JdbcCatalogueStore(dataSource, Clock.systemUTC());
        this.persons = new JdbcPersonStore(dataSource, Clock.systemUTC());
        this.dataSource = dataSource;
        this.idBlocks = new IdBlocks(dataSource);
        this.disk = new DiskGuard(database::freeBytes, System::nanoTime);
        // an embedded Derby database is open in this JVM alone: it holds every lease, nothing written
        this.leases = new JdbcLeases(dataSource, Clock.systemUTC(), JdbcLeases.holderOf(Clock.systemUTC()),
                database.dialect() == Dialect.DERBY);
        LOG.info("Store started: {} at {}, schema version {}", database.product(), database.location(), version);
    }

    /**
     * The database's own settings ({@link Dialect#tune}), before any other bundle prepares a statement on it. A
     * failure is logged, not fatal: they are about cost, not about what is stored.
     */
    private static void tune(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Dialect.of(connection.getMetaData().getDatabaseProductName()).tune(connection)
                    .ifPresent(change -> LOG.info("Database setting changed: {}", change));
        } catch (SQLException e) {
            LOG.warn("Could not check the database's settings ({}); statements are planned as the database's "
                    + "defaults say", e.getMessage());
        }
    }

    /**
     * Applies a bundle's own migrations ({@code folder} on {@code loader}, numbered per {@code owner}) as the schema
     * extender does when that bundle starts: for the tests of bundles that own tables.
     *
     * @return the owner's schema version afterwards
     */
    public int applyOwnSchema(ClassLoader loader, String folder, String owner) {
        return SchemaMigrator.migrateOwn(dataSource, loader, folder, owner);
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public HealthResult check() {
        return database.health();
    }

    @Override
    public String product() {
        return database.product();
    }

    @Override
    public String location() {
        return database.location();
    }

    @Override
    public OptionalLong sizeBytes() {
        return database.sizeBytes();
    }

    @Override
    public int schemaVersion() {
        return database.schemaVersion();
    }

    @Override
    public List<AppliedMigration> migrations() {
        return database.migrations();
    }

    @Override
    public Path backup(Path targetDirectory) {
        Path copy = database.backup(targetDirectory);
        LOG.info("Database backed up to {}", copy);
        return copy;
    }

    @Override
    public AuditRecord record(AuditEvent event) {
        disk.check("record an audit event");
        return auditLog.record(event);
    }

    @Override
    public AuditRecord record(java.sql.Connection connection, AuditEvent event) throws java.sql.SQLException {
        return auditLog.record(connection, event);
    }

    @Override
    public void append(java.sql.Connection connection, AuditEvent event) throws java.sql.SQLException {
        auditLog.append(connection, event);
    }

    @Override
    public List<AuditRecord> recent(int limit, Optional<String> type) {
        return auditLog.recent(limit, type);
    }

    @Override
    public CatalogueVersionInfo save(String source, Actor actor, List<CatalogueEntry> entries) {
        disk.check("store a catalogue");
        return catalogues.save(source, actor, entries);
    }

    @Override
    public CatalogueVersionInfo activate(long versionId, Actor actor) {
        disk.check("activate a catalogue version");
        return catalogues.activate(versionId, actor);
    }

    @Override
    public List<CatalogueVersionInfo> versions() {
        return catalogues.versions();
    }

    @Override
    public Optional<CatalogueVersionInfo> active() {
        return catalogues.active();
    }

    @Override
    public List<CatalogueEntry> entries(long versionId) {
        return catalogues.entries(versionId);
    }

    @Override
    public Upserted upsert(List<Person> people, List<Money> openingBalances, String source, Actor actor) {
        disk.check("import persons");
        return persons.upsert(people, openingBalances, source, actor);
    }

    @Override
    public Optional<Person> byPsnNo(String psnNo) {
        return persons.byPsnNo(psnNo);
    }

    @Override
    public Optional<Person> byPsnNo(java.sql.Connection connection, String psnNo) throws java.sql.SQLException {
        return persons.byPsnNo(connection, psnNo);
    }

    @Override
    public boolean hold(java.sql.Connection connection, String psnNo) throws java.sql.SQLException {
        return persons.hold(connection, psnNo);
    }

    @Override
    public Optional<Person> byCertno(String certno) {
        return persons.byCertno(certno);
    }

    @Override
    public Optional<Money> accountBalance(String psnNo) {
        return persons.accountBalance(psnNo);
    }

    @Override
    public long count() {
        return persons.count();
    }

    @Override
    public <T> T inTransaction(String what, Work<T> work) {
        disk.check(what);
        return Transactions.inTransaction(dataSource, what, work::run, observer);
    }

    /** The transactions' meters, once the instance's registry is there (bundle medsettle-metrics). */
    private volatile Transactions.Observer observer = Transactions.Observer.NONE;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        observer = new TransactionMeters(registry);
    }

    void unsetMeters(io.micrometer.core.instrument.MeterRegistry registry) {
        Transactions.Observer old = observer;
        observer = Transactions.Observer.NONE;
        if (old instanceof TransactionMeters m && m.registry() == registry) {
            m.remove();
        }
    }

    @Override
    public long nextId(String sequence) {
        return idBlocks.next(sequence);
    }

    @Override
    public boolean hold(String name, java.time.Duration ttl) {
        return leases.hold(name, ttl);
    }

    @Override
    public void release(String name) {
        leases.release(name);
    }

    @Override
    public List<Lease> leases() {
        return leases.leases();
    }

    @Override
    public String holderName() {
        return leases.holderName();
    }
}
