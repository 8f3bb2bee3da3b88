package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.person.PersonStore;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.StoreException;

class JdbcPersonStoreTest {

    private static final Actor ADMIN = Actor.console("admin");

    private final EmbeddedDataSource ds = Derby.inMemory();
    private final JdbcPersonStore store;

    JdbcPersonStoreTest() {
        new SchemaMigrator(ds, Clock.systemUTC()).migrate(MigrationLoader.shipped().load());
        store = new JdbcPersonStore(ds, Clock.systemUTC());
    }

    private static Person person(String psnNo, String certno, String employer) {
        return new Person(psnNo, certno, "测试", "2", LocalDate.of(1956, 6, 8), InsuranceType.EMPLOYEE, PersonType.EMPLOYEE_RETIRED,
                Assistance.NONE, Admdvs.of("630000"), employer);
    }

    @Test
    void newPersonsAreAddedWithTheirOpeningBalanceAndComeBackExactly() {
        Person p = person("P1", "630220195606087603", "某某科技有限公司");
        assertEquals(new PersonStore.Upserted(1, 0), store.upsert(List.of(p), List.of(Money.ofYuan("120.50")), "f.csv", ADMIN));
        assertEquals(Optional.of(p), store.byPsnNo("P1"));
        assertEquals(Optional.of(p), store.byCertno("630220195606087603"));
        assertEquals(Optional.of(Money.ofYuan("120.50")), store.accountBalance("P1"));
        assertEquals(1, store.count());
        var audit = new JdbcAuditLog(ds).recent(1, Optional.of("PERSONS_IMPORTED")).get(0).event();
        assertEquals("admin", audit.actor());
        assertEquals(org.medsettle.api.store.AuditChannel.CONSOLE, audit.channel());
        assertFalse(audit.detail().contains("630220195606087603"), "no ID number in the audit detail");
    }

    @Test
    void aLaterExtractUpdatesPersonalDataButNotTheBalanceTheNodeKeeps() {
        store.upsert(List.of(person("P1", "630220195606087603", "A")), List.of(Money.ofYuan("100")), "day1.csv", ADMIN);
        assertEquals(new PersonStore.Upserted(0, 1),
                store.upsert(List.of(person("P1", "630220195606087603", "B")), List.of(Money.ofYuan("999")), "day2.csv", ADMIN));
        assertEquals("B", store.byPsnNo("P1").orElseThrow().employer());
        assertEquals(Optional.of(Money.ofYuan("100")), store.accountBalance("P1"));
    }

    @Test
    void aConflictRollsTheWholeImportBack() {
        store.upsert(List.of(person("P1", "630220195606087603", "A")), List.of(Money.ZERO), "day1.csv", ADMIN);
        StoreException e = assertThrows(StoreException.class, () -> store.upsert(List.of(person("P2", "63250419530102794X", "A"),
                person("P3", "630220195606087603", "A")), List.of(Money.ZERO, Money.ZERO), "day2.csv", ADMIN));
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        assertFalse(store.byPsnNo("P2").isPresent());
        assertEquals(1, store.count());
    }
}
