package org.medsettle.api.policy;

import java.time.LocalDate;
import java.util.Objects;

import org.medsettle.api.Admdvs;

/**
 * One version of one insured province's policy file (policy-format.md), as published by the policy extender.
 *
 * @param admdvs        the insured province
 * @param name          the policy's name
 * @param version       the version label in the file
 * @param effectiveFrom the first settlement date it applies to
 * @param source        where it came from: the bundle's symbolic name, version and path inside it
 */
public record PolicyVersion(Admdvs admdvs, String name, String version, LocalDate effectiveFrom, String source) {

    public PolicyVersion {
        Objects.requireNonNull(admdvs, "admdvs");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(source, "source");
    }
}
