package org.medsettle.api.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medsettle.api.Admdvs;
import org.medsettle.api.store.Actor;

/**
 * Policy distribution through the national hub (issue 14): an insured province's node publishes a version of its
 * policy once; the hub keeps it and every node fetches and installs it as a policy bundle (validated there, the
 * versions before kept if it is refused), and tells the hub whether it is in force.
 */
public interface PolicyDistribution {

    /** At a node, each version's state as it told the hub; at the hub, what each node told. */
    String IN_FORCE = "IN_FORCE";
    String REFUSED = "REFUSED";

    /**
     * A published version and where it stands.
     *
     * @param atNodes per node (division code): {@link #IN_FORCE}, or {@link #REFUSED} with the reason after ": "
     */
    record Published(Admdvs province, String version, LocalDate effectiveFrom, String sha256, Instant publishedAt,
                     String publishedBy, Map<String, String> atNodes) {
        public Published {
            Objects.requireNonNull(province, "province");
            Objects.requireNonNull(version, "version");
            atNodes = Map.copyOf(atNodes);
        }
    }

    /**
     * Publishes a policy file of this node's own province through the hub (at a node only).
     *
     * @return what the hub answered, for the administrator
     * @throws IllegalArgumentException if the file is not a valid policy of this province, or the hub refused it
     * @throws org.medsettle.api.link.LinkUnavailableException if the hub did not answer (nothing was published)
     * @throws IllegalStateException at the hub
     */
    String publish(byte[] policyJson, Actor actor);

    /** The versions published through the hub, by province and version: at the hub its own list, at a node as last read. */
    List<Published> published();
}
