package org.medsettle.persons.internal;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;

import org.medsettle.api.Money;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.model.Person;
import org.medsettle.api.person.PersonImportResult;
import org.medsettle.api.person.PersonRegistry;
import org.medsettle.api.person.PersonStore;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The person registry of this node's province; persons are insured where the node is ({@code MEDSETTLE_ADMDVS}). */
@Component(service = PersonRegistry.class)
public class PersonRegistryService implements PersonRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PersonRegistryService.class);

    private final PersonStore store;
    private final InstanceIdentity identity;

    @Activate
    public PersonRegistryService(@Reference PersonStore store, @Reference InstanceIdentity identity) {
        this.store = store;
        this.identity = identity;
    }

    @Override
    public Optional<Person> byPsnNo(String psnNo) {
        return store.byPsnNo(psnNo.strip());
    }

    @Override
    public Optional<Person> byPsnNo(java.sql.Connection connection, String psnNo) throws java.sql.SQLException {
        return store.byPsnNo(connection, psnNo.strip());
    }

    @Override
    public boolean hold(java.sql.Connection connection, String psnNo) throws java.sql.SQLException {
        return store.hold(connection, psnNo.strip());
    }

    @Override
    public Optional<Person> byCertno(String certno) {
        return store.byCertno(certno.strip().toUpperCase(Locale.ROOT));
    }

    @Override
    public Optional<Money> accountBalance(String psnNo) {
        return store.accountBalance(psnNo.strip());
    }

    @Override
    public long count() {
        return store.count();
    }

    private List<String> heldByOthers(PersonCsv.Result read) {
        List<String> taken = new java.util.ArrayList<>();
        for (int i = 0; i < read.persons().size(); i++) {
            Person p = read.persons().get(i);
            Optional<Person> holder = store.byCertno(p.certno());
            if (holder.isPresent() && !holder.get().psnNo().equals(p.psnNo())) {
                taken.add(read.where().get(i) + "certno is already held by person " + holder.get().psnNo()
                        + " of this registry (one ID number, one person)");
            }
        }
        return taken;
    }

    @Override
    public synchronized PersonImportResult importCsv(InputStream csv, String source, Actor actor, IntConsumer progress) {
        long start = System.nanoTime();
        PersonCsv.Result read = PersonCsv.read(csv, identity.admdvs(), org.medsettle.api.BusinessClock.today(), progress);
        if (!read.problems().isEmpty()) {
            LOG.warn("Person import of {} by {} REFUSED: {} problem(s), first: {}", source, actor.name(), read.problems().size(), read.problems().get(0));
            return new PersonImportResult(read.lines(), 0, 0, read.problems(), Duration.ofNanos(System.nanoTime() - start));
        }
        PersonStore.Upserted done;
        try {
            done = store.upsert(read.persons(), read.balances(), source, actor);
        } catch (StoreException e) {
            // the one rule the file cannot check by itself: an ID number held by another person of the registry
            // (the unique index refused the import whole); name the lines, never the ID numbers
            List<String> taken = heldByOthers(read);
            if (taken.isEmpty()) {
                throw e;
            }
            LOG.warn("Person import of {} by {} REFUSED: {} ID number(s) already held by other persons, first: {}",
                    source, actor.name(), taken.size(), taken.get(0));
            return new PersonImportResult(read.lines(), 0, 0, taken, Duration.ofNanos(System.nanoTime() - start));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("Persons imported from {} by {}: {} added, {} updated in {} ms", source, actor.name(), done.added(), done.updated(), took.toMillis());
        return new PersonImportResult(read.lines(), done.added(), done.updated(), List.of(), took);
    }
}
