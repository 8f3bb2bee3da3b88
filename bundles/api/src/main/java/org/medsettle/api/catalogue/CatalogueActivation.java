package org.medsettle.api.catalogue;

import java.util.Optional;

/**
 * What {@code catalogue-activate} did: the version now active, and how many codes it covers on the business day
 * against the version it replaced — making last year's version active again is as easy as making yesterday's, and
 * every code it lacks today is paid in full by the patient from then on.
 *
 * @param version    the version now active
 * @param validToday codes it covers on the business day it became active
 * @param replaced   the version that was active before, if one was, with what it covered that day
 */
public record CatalogueActivation(CatalogueVersionInfo version, int validToday,
                                  Optional<ImportResult.Replaced> replaced) {

    /** {@code 2920 codes valid today (2700 in v2, active until now)}. */
    public String coverage() {
        return CoverageText.coverage(validToday, replaced);
    }

    /** When markedly fewer codes are valid today than in the version replaced: what that means and the way back. */
    public Optional<String> warning() {
        return CoverageText.warning(validToday, replaced, "If that was not meant");
    }
}
