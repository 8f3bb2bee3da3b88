package org.medsettle.policy.distribution.internal;

import java.util.Map;

/** Where published policy versions are installed at a node: as policy bundles ({@link BundlePolicyInstaller}). */
interface PolicyInstaller {

    /** A version installed here: its province and version. */
    record Key(String province, String version) {
    }

    /** The versions installed from the hub, with the sha256 of each. */
    Map<Key, String> installed();

    /** Installs one version (its policy file); the policy extender validates it. */
    void install(Key key, String sha256, byte[] policyJson);

    /**
     * Whether an installed version is in force here: {@code IN_FORCE}, or {@code REFUSED: <why>}.
     */
    String state(Key key);
}
