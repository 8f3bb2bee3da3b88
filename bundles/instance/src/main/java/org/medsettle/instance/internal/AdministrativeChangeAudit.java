package org.medsettle.instance.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the audit trail every change of the appliance's bundles and configurations once it has booted, however
 * it was made: a policy jar dropped into {@code deploy/} or deleted there, a file of {@code etc/} edited, a feature
 * installed, a bundle updated or uninstalled. A change made at the console is also in the trail as the user's
 * {@code CONSOLE_COMMAND}; one made on the server's file system is only here, which is why this exists — a policy
 * decides what every settlement pays.
 *
 * <p>Events: {@code BUNDLE_INSTALLED}, {@code BUNDLE_UPDATED}, {@code BUNDLE_UNINSTALLED} (subject: symbolic name
 * and version; detail: the bundle's id and location, without a password a URL may carry) and {@code CONFIGURATION_UPDATED}, {@code CONFIGURATION_DELETED} (subject: the PID;
 * never a value: a configuration may hold a password). Nothing is recorded before the boot features are installed
 * (Karaf's {@code BootFinished}): those bundles and files are the appliance as shipped, and its start is
 * {@code INSTANCE_STARTED}; nor while the framework stops. Actor {@code system}, channel {@code SYSTEM}: the framework
 * does not know who changed a file. A bundle stopped or started is not recorded here: the framework starts some of
 * the shipped bundles (the JDBC pool's) after {@code BootFinished} at every start, and nothing but the console
 * (audited there) stops one.
 */
@Component(service = ConfigurationListener.class)
public class AdministrativeChangeAudit implements ConfigurationListener, BundleListener {

    private static final Logger LOG = LoggerFactory.getLogger(AdministrativeChangeAudit.class);
    /** {@code //user:password@} in a location such as {@code https://user:password@host/x.jar}. */
    private static final Pattern USER_INFO = Pattern.compile("//[^/@\\s]*@");

    private final BundleContext context;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean booted = new AtomicBoolean();
    private final ServiceTracker<Object, Object> bootFinished;

    @Activate
    public AdministrativeChangeAudit(BundleContext context, @Reference AuditLog audit) throws InvalidSyntaxException {
        this.context = context;
        this.audit = audit;
        this.bootFinished = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + ComponentsHealthCheck.BOOT_FINISHED + ")"), null) {
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                if (booted.compareAndSet(false, true)) {
                    context.addBundleListener(AdministrativeChangeAudit.this);
                }
                return reference;
            }
        };
        bootFinished.open();
    }

    @Deactivate
    void stop() {
        bootFinished.close();
        context.removeBundleListener(this);
        booted.set(false);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        eventOf(event.getType()).ifPresent(type -> {
            if (stopping()) {
                return;
            }
            Bundle b = event.getBundle();
            record(type, b.getSymbolicName() + " " + b.getVersion(), "bundle " + b.getBundleId() + " from "
                    + withoutPassword(b.getLocation()));
        });
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!booted.get() || stopping()) {
            return;
        }
        String type = switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> "CONFIGURATION_UPDATED";
            case ConfigurationEvent.CM_DELETED -> "CONFIGURATION_DELETED";
            default -> null;
        };
        if (type != null) {
            record(type, event.getPid(), (event.getFactoryPid() == null ? "" : "of factory " + event.getFactoryPid()
                    + "; ") + "its values are not recorded (etc/" + event.getPid() + ".cfg or config:* at the console)");
        }
    }

    static Optional<String> eventOf(int bundleEventType) {
        return Optional.ofNullable(switch (bundleEventType) {
            case BundleEvent.INSTALLED -> "BUNDLE_INSTALLED";
            case BundleEvent.UPDATED -> "BUNDLE_UPDATED";
            case BundleEvent.UNINSTALLED -> "BUNDLE_UNINSTALLED";
            default -> null;
        });
    }

    static String withoutPassword(String location) {
        return location == null ? "" : USER_INFO.matcher(location).replaceAll("//");
    }

    private boolean stopping() {
        try {
            return context.getBundle(0).getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // this bundle's context is no longer valid: it is being stopped
        }
    }

    private void record(String type, String subject, String detail) {
        try {
            audit.record(new AuditEvent(clock.instant(), "system", AuditChannel.SYSTEM, type,
                    subject.length() > 128 ? subject.substring(0, 127) + "…" : subject, detail));
            LOG.info("{}: {} ({})", type, subject, detail);
        } catch (RuntimeException e) {
            // the change happened; the trail could not say so (the database is down): the log must
            LOG.warn("{}: {} ({}) could not be recorded in the audit trail: {}", type, subject, detail, e.toString());
        }
    }
}
