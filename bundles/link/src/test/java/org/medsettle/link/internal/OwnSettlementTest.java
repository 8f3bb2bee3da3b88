package org.medsettle.link.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;

/** What an insured node takes from a sender the hub authenticated: only that sender's province's settlements. */
class OwnSettlementTest {

    private static final Admdvs ZHEJIANG = Admdvs.of("330000");
    private static final Admdvs BEIJING = Admdvs.of("110000");

    @Test
    void aNodeAppliesConfirmsAndUndoesItsOwnProvincesSettlements() {
        LinkComponent.ownSettlement(ZHEJIANG, Admdvs.of("330100"), "33000000000000000001");
        LinkComponent.ownSettlement(ZHEJIANG, "33000000000000000001");
    }

    @Test
    void anotherProvincesSettlementIsRefusedByItsIdOrItsTreatmentPlace() {
        assertEquals("setl_id 33000000000000000001 is not a settlement of 110000, the sender's province (its "
                + "settlements' ids begin with 110000): a node applies, confirms and undoes only its own; nothing was "
                + "done", assertThrows(IllegalArgumentException.class,
                () -> LinkComponent.ownSettlement(BEIJING, "33000000000000000001")).getMessage());
        assertEquals("mdtrtarea_admvs 330100 is not in the province of the sender 110000: a node asks and applies only "
                + "for its own province's hospitals; nothing was done", assertThrows(
                IllegalArgumentException.class, () -> LinkComponent.ownSettlement(BEIJING, Admdvs.of("330100"),
                        "11000000000000000001")).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LinkComponent.ownSettlement(ZHEJIANG, Admdvs.of("330100"), "11000000000000000001"));
        assertThrows(IllegalArgumentException.class, () -> LinkComponent.ownSettlement(ZHEJIANG, ""));
    }

    @Test
    void aNodeAsksForCoverageOnlyForItsOwnProvincesHospitals() {
        // an emergency's coverage records an EMERGENCY filing for the treatment place it names
        LinkComponent.ownTreatmentPlace(ZHEJIANG, Admdvs.of("330300"));
        assertThrows(IllegalArgumentException.class, () -> LinkComponent.ownTreatmentPlace(BEIJING, Admdvs.of("330300")));
    }
}
