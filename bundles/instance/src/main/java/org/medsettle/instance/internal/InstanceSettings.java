package org.medsettle.instance.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;

/** Validated instance settings. Every problem is named with its environment variable, all at once. */
record InstanceSettings(NodeRole role, Admdvs admdvs, Optional<URI> hubUrl) {

    static InstanceSettings parse(String role, String admdvs, String hubUrl) {
        List<String> problems = new ArrayList<>();
        NodeRole parsedRole = null;
        Admdvs parsedAdmdvs = null;
        Optional<URI> parsedHub = Optional.empty();
        try {
            parsedRole = NodeRole.parse(role);
        } catch (IllegalArgumentException e) {
            problems.add("MEDSETTLE_ROLE (role): " + e.getMessage());
        }
        try {
            parsedAdmdvs = Admdvs.of(admdvs);
            if (!parsedAdmdvs.isProvince()) {
                problems.add("MEDSETTLE_ADMDVS (admdvs): a node serves a whole province, e.g. 330000, not '" + admdvs + "'");
            } else if (parsedRole == NodeRole.NODE && !parsedAdmdvs.inRealProvince()) {
                problems.add("MEDSETTLE_ADMDVS (admdvs): a node serves a province of the mainland (GB/T 2260, e.g. "
                        + "330000); '" + admdvs + "' is none");
            }
        } catch (IllegalArgumentException e) {
            problems.add("MEDSETTLE_ADMDVS (admdvs): " + e.getMessage());
        }
        if (hubUrl != null && !hubUrl.isBlank()) {
            try {
                URI uri = new URI(hubUrl.trim());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add("MEDSETTLE_HUB_URL (hubUrl): must be an http(s) URL with a host: '" + hubUrl + "'");
                } else {
                    parsedHub = Optional.of(uri);
                }
            } catch (URISyntaxException e) {
                problems.add("MEDSETTLE_HUB_URL (hubUrl): not a URL: '" + hubUrl + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid instance configuration: " + String.join("; ", problems));
        }
        return new InstanceSettings(parsedRole, parsedAdmdvs, parsedHub);
    }
}
