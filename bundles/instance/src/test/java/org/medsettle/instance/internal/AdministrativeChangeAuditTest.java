package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleEvent;

/** The parts of {@link AdministrativeChangeAudit} that need no framework; the whole: PolicyHotSwapPaxExamIT. */
class AdministrativeChangeAuditTest {

    @Test
    void aBundlesLocationIsRecordedWithoutThePasswordAUrlMayCarry() {
        assertEquals("https://repo.example/x.jar", AdministrativeChangeAudit.withoutPassword("https://ops:pa55@repo.example/x.jar"));
        assertEquals("file:/opt/medsettle/deploy/medsettle-policy-520000.jar",
                AdministrativeChangeAudit.withoutPassword("file:/opt/medsettle/deploy/medsettle-policy-520000.jar"));
        assertEquals("mvn:org.medsettle/medsettle-his-rest/0.1.0", AdministrativeChangeAudit.withoutPassword(
                "mvn:org.medsettle/medsettle-his-rest/0.1.0"));
        assertEquals("", AdministrativeChangeAudit.withoutPassword(null));
    }

    @Test
    void theBundleEventsThatChangeWhatIsInstalledAreRecordedAndTheTransitionsBetweenThemAreNot() {
        assertEquals(Optional.of("BUNDLE_INSTALLED"), AdministrativeChangeAudit.eventOf(BundleEvent.INSTALLED));
        assertEquals(Optional.of("BUNDLE_UPDATED"), AdministrativeChangeAudit.eventOf(BundleEvent.UPDATED));
        assertEquals(Optional.of("BUNDLE_UNINSTALLED"), AdministrativeChangeAudit.eventOf(BundleEvent.UNINSTALLED));
        // started and stopped: the framework starts some shipped bundles after boot at every start
        for (int transition : new int[] {BundleEvent.STARTED, BundleEvent.STOPPED, BundleEvent.RESOLVED, BundleEvent.UNRESOLVED, BundleEvent.STARTING,
                BundleEvent.STOPPING, BundleEvent.LAZY_ACTIVATION}) {
            assertEquals(Optional.empty(), AdministrativeChangeAudit.eventOf(transition));
        }
    }
}
