package org.medsettle.api;

import java.util.Locale;

/** What an instance of the appliance is: a province node or the national hub (国家平台). */
public enum NodeRole {
    /** A province node: place of treatment (就医地) and place of insurance (参保地) for its province. */
    NODE,
    /** The national hub: directory, routing, downtime notices, clearing. */
    HUB;

    /** Parses {@code node} or {@code hub}, case-insensitively. */
    public static NodeRole parse(String text) {
        if (text != null) {
            for (NodeRole role : values()) {
                if (role.name().equalsIgnoreCase(text.trim())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be 'node' or 'hub': '" + text + "'");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
