package org.medsettle.persons.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.medsettle.api.person.PersonImportResult;
import org.medsettle.api.store.Actor;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

@org.junit.jupiter.api.Tag("database")
class PersonRegistryServiceTest {

    private static final String HEADER = "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n";

    private final StoreComponent store = TestStores.fresh();
    private final PersonRegistryService persons = new PersonRegistryService(store, TestIdentities.node("630000"));

    private PersonImportResult importCsv(String lines) {
        return persons.importCsv(new ByteArrayInputStream((HEADER + lines).getBytes(StandardCharsets.UTF_8)), "p.csv",
                Actor.console("test"), n -> { });
    }

    @Test
    void anIdNumberHeldByAnotherPersonIsRefusedWithItsLineAndNothingIsImported() {
        assertTrue(importCsv("63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1101,,100.00,某单位\n").accepted());
        PersonImportResult second = importCsv("63000000000000000002,630220195606087603,符玉艳,2,1956-06-08,310,1102,,0,x\n"
                + "63000000000000000003,631303199608106108,冒名,2,1996-08-10,310,1101,,0,x\n");
        assertFalse(second.accepted());
        assertEquals(1, second.problems().size(), second.problems().toString());
        String problem = second.problems().get(0);
        assertTrue(problem.startsWith("line 3: certno is already held by person 63000000000000000001"), problem);
        assertFalse(problem.contains("631303199608106108") || problem.contains("成杰"), "no personal data: " + problem);
        assertFalse(problem.contains("SQL") || problem.contains("duplicate key"), problem);
        assertEquals(1, persons.count(), "all or nothing");
    }

    @Test
    void thePersonWhoHoldsAnIdNumberMayBeImportedAgain() {
        String line = "63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1101,,100.00,某单位\n";
        assertTrue(importCsv(line).accepted());
        assertTrue(importCsv(line).accepted());
        assertEquals(1, persons.count());
    }
}
