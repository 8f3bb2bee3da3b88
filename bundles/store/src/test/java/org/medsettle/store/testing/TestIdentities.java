package org.medsettle.store.testing;

import java.net.URI;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;
import org.medsettle.api.instance.InstanceIdentity;

/** For other bundles' tests: the identity of a province node, as the instance bundle publishes it. */
public final class TestIdentities {

    private TestIdentities() {
    }

    public static InstanceIdentity node(String admdvs) {
        return new InstanceIdentity() {
            @Override
            public NodeRole role() {
                return NodeRole.NODE;
            }

            @Override
            public Admdvs admdvs() {
                return Admdvs.of(admdvs);
            }

            @Override
            public Optional<URI> hubUrl() {
                return Optional.empty();
            }

            @Override
            public String version() {
                return "test";
            }
        };
    }
}
