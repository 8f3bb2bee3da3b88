package org.medsettle.instance.internal;

import java.net.URI;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;
import org.medsettle.api.instance.InstanceIdentity;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link InstanceIdentity} from {@code org.medsettle.instance}. An invalid configuration fails
 * activation with a message naming each bad setting; {@code medsettle:health} shows it. A changed {@code .cfg}
 * takes effect without a restart of the appliance: the component is re-created with it (no {@code @Modified}
 * on purpose, so that a bad change shows as a failed component rather than being half-applied).
 */
@Component(configurationPid = "org.medsettle.instance", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = InstanceConfig.class)
public class InstanceIdentityComponent implements InstanceIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceIdentityComponent.class);

    private volatile InstanceSettings settings;
    private String version;

    @Activate
    void activate(InstanceConfig config, BundleContext context) {
        Version v = new Version(context.getBundle().getVersion().toString());
        this.version = v.text();
        apply(config);
    }

    private void apply(InstanceConfig config) {
        InstanceSettings next = InstanceSettings.parse(config.role(), config.admdvs(), config.hubUrl());
        this.settings = next;
        LOG.info("medsettle {} {} for province {}{}", version, next.role().label(), next.admdvs(),
                next.hubUrl().map(u -> ", hub at " + u).orElse(", no hub configured"));
        java.time.Duration offset = org.medsettle.api.BusinessClock.offset();
        if (!offset.isZero()) {
            LOG.warn("The business clock of this instance is shifted by {} (MEDSETTLE_CLOCK_OFFSET): settlement times, "
                    + "months and deadlines are not today's; for acceptance tests and training only", offset);
        }
    }

    @Override
    public NodeRole role() {
        return settings.role();
    }

    @Override
    public Admdvs admdvs() {
        return settings.admdvs();
    }

    @Override
    public Optional<URI> hubUrl() {
        return settings.hubUrl();
    }

    @Override
    public String version() {
        return version;
    }

    /** OSGi bundle versions write {@code 0.1.0.SNAPSHOT}; people expect {@code 0.1.0-SNAPSHOT}. */
    record Version(String osgi) {
        String text() {
            String[] parts = osgi.split("\\.", 4);
            return parts.length == 4 ? parts[0] + "." + parts[1] + "." + parts[2] + "-" + parts[3] : osgi;
        }
    }
}
