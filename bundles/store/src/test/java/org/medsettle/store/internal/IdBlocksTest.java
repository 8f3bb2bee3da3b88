package org.medsettle.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;

class IdBlocksTest {

    private EmbeddedDataSource migrated() {
        EmbeddedDataSource ds = Derby.inMemory();
        new SchemaMigrator(ds, Clock.systemUTC()).migrate(MigrationLoader.shipped().load());
        return ds;
    }

    @Test
    void twoProcessesOnOneDatabaseNeverHandOutTheSameNumber() {
        EmbeddedDataSource ds = migrated();
        IdBlocks first = new IdBlocks(ds);
        IdBlocks second = new IdBlocks(ds);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 3 * IdBlocks.BLOCK; i++) {
            assertTrue(seen.add(first.next("setl_id")));
            assertTrue(seen.add(second.next("setl_id")));
        }
        assertEquals(6 * IdBlocks.BLOCK, seen.size());
    }

    @Test
    void numbersIncreaseWithinAProcessAndSequencesAreIndependent() {
        IdBlocks ids = new IdBlocks(migrated());
        long a = ids.next("mdtrt_id");
        assertEquals(a + 1, ids.next("mdtrt_id"));
        assertEquals(1, ids.next("filing_id"));
    }

    @Test
    void aRestartedProcessContinuesAfterTheReservedBlock() {
        EmbeddedDataSource ds = migrated();
        long before = new IdBlocks(ds).next("setl_id");
        long after = new IdBlocks(ds).next("setl_id");
        assertEquals(before + IdBlocks.BLOCK, after);
    }
}
