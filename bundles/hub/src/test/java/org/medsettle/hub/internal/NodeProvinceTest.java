package org.medsettle.hub.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;

/** What the hub's directory accepts as the province a node serves ({@code medsettle:hub-node-add}). */
class NodeProvinceTest {

    @Test
    void everyProvinceOfTheMainlandMayHaveANode() {
        for (String p : new String[] {"110000", "150000", "210000", "230000", "310000", "370000", "410000", "460000",
                "500000", "540000", "610000", "650000", "660000"}) {
            assertDoesNotThrow(() -> HubComponent.requireProvince(Admdvs.of(p)), p);
        }
    }

    @Test
    void aCityOrACodeOfNoProvinceIsRefusedNamingWhy() {
        IllegalArgumentException city = assertThrows(IllegalArgumentException.class,
                () -> HubComponent.requireProvince(Admdvs.of("330100")));
        assertTrue(city.getMessage().contains("330100 is not a province code"), city.getMessage());
        for (String nowhere : new String[] {"990000", "100000", "160000", "240000", "380000", "470000", "550000",
                "670000", "710000", "810000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HubComponent.requireProvince(Admdvs.of(nowhere)), nowhere);
            assertTrue(e.getMessage().contains(nowhere + " is no province of the mainland"), e.getMessage());
        }
    }
}
