package org.medsettle.api.instance;

import java.net.URI;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;

/**
 * Who this running instance is, from its configuration (environment variables first, then {@code etc/}).
 * Published only while the configuration is valid.
 */
public interface InstanceIdentity {

    NodeRole role();

    /** The province this instance serves (for the hub: {@code 100000}, the national level). */
    Admdvs admdvs();

    /** Where the national hub listens, if configured. */
    Optional<URI> hubUrl();

    /** The appliance's version, e.g. {@code 0.1.0}. */
    String version();
}
