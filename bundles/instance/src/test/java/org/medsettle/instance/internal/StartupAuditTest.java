package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.AuditRecord;

class StartupAuditTest {

    /** An audit log kept in a list: the real one is tested against Derby in the store bundle. */
    static final class ListAuditLog implements AuditLog {
        final List<AuditRecord> records = new ArrayList<>();

        @Override
        public AuditRecord record(AuditEvent event) {
            AuditRecord r = new AuditRecord(records.size() + 1, event);
            records.add(r);
            return r;
        }

        @Override
        public AuditRecord record(java.sql.Connection connection, AuditEvent event) {
            return record(event);
        }

        @Override
        public List<AuditRecord> recent(int limit, Optional<String> type) {
            return records.stream().filter(r -> type.map(t -> t.equals(r.event().type())).orElse(true))
                    .sorted(Comparator.comparingLong(AuditRecord::id).reversed()).limit(limit).toList();
        }
    }

    private final InstanceIdentity identity = new InstanceIdentity() {
        @Override
        public NodeRole role() {
            return NodeRole.NODE;
        }

        @Override
        public Admdvs admdvs() {
            return Admdvs.of("330000");
        }

        @Override
        public Optional<URI> hubUrl() {
            return Optional.empty();
        }

        @Override
        public String version() {
            return "0.1.0";
        }
    };

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void eachStartOfTheApplianceIsRecordedOnce() {
        ListAuditLog log = new ListAuditLog();
        assertTrue(StartupAudit.recordOnce(log, identity, "launch-1", clock).isPresent());
        assertTrue(StartupAudit.recordOnce(log, identity, "launch-1", clock).isEmpty());
        assertTrue(StartupAudit.recordOnce(log, identity, "launch-2", clock).isPresent());
        assertEquals(2, log.records.size());
        assertEquals("medsettle 0.1.0 started as node for province 330000", log.records.get(0).event().detail());
    }
}
