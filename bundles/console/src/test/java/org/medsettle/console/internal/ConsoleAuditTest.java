package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;

class ConsoleAuditTest {

    private final ConsoleAudit audit = new ConsoleAudit();

    @Test
    void aChangeIsRecordedWithItsUserAndOutcome() {
        AuditEvent e = audit.event("admin", "bundle:update medsettle-link", Optional.empty()).orElseThrow();
        assertEquals("admin", e.actor());
        assertEquals(AuditChannel.CONSOLE, e.channel());
        assertEquals(ConsoleAudit.COMMAND, e.type());
        assertEquals("bundle:update", e.subject());
        assertEquals("bundle:update medsettle-link -> done", e.detail());
    }

    @Test
    void aRefusedAttemptIsRecordedAsRefused() {
        AuditEvent e = audit.event("auditor", "scr:disable org.medsettle.treatment.internal.his.HisService",
                Optional.of(new SecurityException("Insufficient credentials."))).orElseThrow();
        assertEquals(ConsoleAudit.REFUSED, e.type());
        assertTrue(e.detail().endsWith("failed: Insufficient credentials."), e.detail());
    }

    @Test
    void readOnlyCommandsAndShellAssignmentsAreNotRecorded() {
        assertFalse(audit.event("auditor", "medsettle:health", Optional.empty()).isPresent());
        assertFalse(audit.event("admin", "bundle:list -s | grep medsettle", Optional.empty()).isPresent());
        assertFalse(audit.event("admin", "ld = { log:display $args } ;", Optional.empty()).isPresent());
        assertFalse(audit.event("admin", "   ", Optional.empty()).isPresent());
    }

    @Test
    void anUnknownCommandIsRecordedBecauseNothingIsReadOnlyUnlessNamed() {
        assertTrue(audit.event("admin", "camel:route-stop medsettle-his-rest his-rest", Optional.empty()).isPresent());
        assertTrue(audit.event("admin", "log:set DEBUG", Optional.empty()).isPresent());
        assertTrue(audit.event("admin", "some:thing-new", Optional.empty()).isPresent());
    }

    @Test
    void configurationValuesAndJaasArgumentsAreNotRecorded() {
        String d = audit.event("admin", "config:property-set -p org.medsettle.filing.api client.x c2VjcmV0",
                Optional.empty()).orElseThrow().detail();
        assertFalse(d.contains("c2VjcmV0"), d);
        assertTrue(d.contains("(value not recorded)"), d);
        String j = audit.event("admin", "jaas:user-add bob hunter2", Optional.empty()).orElseThrow().detail();
        assertFalse(j.contains("hunter2"), j);
    }
}
