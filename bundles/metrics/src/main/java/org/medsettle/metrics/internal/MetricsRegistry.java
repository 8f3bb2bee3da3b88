package org.medsettle.metrics.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.medsettle.api.instance.InstanceIdentity;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's meter registry: Micrometer's Prometheus registry, with the JVM's and the process's meters and two
 * common tags ({@code role}, {@code province}), registered as the {@link MeterRegistry} service the measuring bundles
 * (treatment, link, store) reference and as the {@link PrometheusMeterRegistry} {@link MetricsEndpoint} scrapes.
 */
@Component(immediate = true)
public class MetricsRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRegistry.class);

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final ServiceRegistration<?> registration;

    @Activate
    public MetricsRegistry(BundleContext context, @Reference InstanceIdentity identity) {
        registry = create(identity.role().name().toLowerCase(Locale.ROOT), identity.admdvs().code(), binders);
        registration = context.registerService(new String[] {MeterRegistry.class.getName(),
                PrometheusMeterRegistry.class.getName()}, registry, new Hashtable<>());
        LOG.info("Metrics of this instance ({} {}) at GET {}", identity.role(), identity.admdvs(),
                MetricsEndpoint.ALIAS);
    }

    /** A registry with the JVM's meters and the instance's tags; {@code binders} gets what must be closed. */
    static PrometheusMeterRegistry create(String role, String province, List<AutoCloseable> binders) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().commonTags("role", role, "province", province);
        new ClassLoaderMetrics().bindTo(r);
        new JvmMemoryMetrics().bindTo(r);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(r);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        new FileDescriptorMetrics().bindTo(r);
        return r;
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("metrics registry was already unregistered");
        }
        for (AutoCloseable c : binders) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing a JVM meter binder: {}", e.getMessage());
            }
        }
        registry.close();
    }
}
