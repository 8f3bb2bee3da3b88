package org.medsettle.console.internal;

/** Commands take their services as optional references, so that they can say what is missing instead of vanishing. */
final class Services {

    static final String STORE = "the store (feature medsettle-store)";
    static final String CATALOGUE = "the catalogue (feature medsettle-catalogue)";
    static final String POLICIES = "the policy extender (feature medsettle-policy)";
    static final String ENGINE = "the settlement engine (feature medsettle-engine)";

    private Services() {
    }

    /**
     * @return the service
     * @throws IllegalStateException naming what is missing, when it is
     */
    static <T> T require(T service, String what) {
        if (service == null) {
            throw new IllegalStateException(what + " is not available; see medsettle:health");
        }
        return service;
    }
}
