package org.medsettle.api.catalogue;

import java.util.Optional;

/** What {@link ImportResult} and {@link CatalogueActivation} say about a version's codes valid today: one wording. */
final class CoverageText {

    private CoverageText() {
    }

    /** {@code 2920 codes valid today (2920 in v1, active until now)}. */
    static String coverage(int validToday, Optional<ImportResult.Replaced> replaced) {
        return validToday + " codes valid today" + replaced.map(before -> " (" + before.validToday() + " in v"
                + before.version().id() + ", active until now)").orElse("");
    }

    /** Below {@link ImportResult#FEWER_VALID_WARNING} of what the version replaced covered on the same day. */
    static boolean fewer(int validToday, Optional<ImportResult.Replaced> replaced) {
        return replaced.isPresent() && validToday < replaced.get().validToday() * ImportResult.FEWER_VALID_WARNING;
    }

    /** When {@link #fewer}: what it means for patients, and the way back ({@code ifWrong: catalogue-activate K}). */
    static Optional<String> warning(int validToday, Optional<ImportResult.Replaced> replaced, String ifWrong) {
        return replaced.filter(before -> fewer(validToday, replaced)).map(before -> (before.validToday() - validToday)
                + " fewer codes valid today than in v" + before.version().id() + ": the fees of those it lacks are paid "
                + "in full by the patient from now on. " + ifWrong + ": medsettle:catalogue-activate "
                + before.version().id());
    }
}
