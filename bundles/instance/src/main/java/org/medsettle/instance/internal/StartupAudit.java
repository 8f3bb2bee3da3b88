package org.medsettle.instance.internal;

import java.time.Clock;
import java.util.Optional;

import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.AuditRecord;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Leaves {@code INSTANCE_STARTED} in the audit trail once per start of the appliance, with its role, province
 * and version. The framework's launch UUID is the subject, so re-binding services never records twice.
 */
@Component
public class StartupAudit {

    static final String EVENT = "INSTANCE_STARTED";

    @Activate
    public StartupAudit(BundleContext context, @Reference AuditLog audit, @Reference InstanceIdentity identity) {
        String launch = context.getProperty(Constants.FRAMEWORK_UUID);
        recordOnce(audit, identity, launch == null ? "unknown" : launch, Clock.systemUTC());
    }

    static Optional<AuditRecord> recordOnce(AuditLog audit, InstanceIdentity identity, String launch, Clock clock) {
        boolean already = audit.recent(20, Optional.of(EVENT)).stream().anyMatch(r -> r.event().subject().equals(launch));
        if (already) {
            return Optional.empty();
        }
        return Optional.of(audit.record(new AuditEvent(clock.instant(), "system", AuditChannel.SYSTEM, EVENT, launch,
                "medsettle " + identity.version() + " started as " + identity.role().label() + " for province " + identity.admdvs())));
    }
}
