package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AdmdvsTest {

    @Test
    void aDistrictBelongsToItsProvince() {
        Admdvs district = Admdvs.of("330106");
        assertEquals(Admdvs.of("330000"), district.province());
        assertFalse(district.isProvince());
        assertTrue(district.sameProvinceAs(Admdvs.of("330000")));
        assertFalse(district.sameProvinceAs(Admdvs.of("630000")));
    }

    @Test
    void aProvinceIsItsOwnProvince() {
        Admdvs zhejiang = Admdvs.of(" 330000 ");
        assertTrue(zhejiang.isProvince());
        assertEquals(zhejiang, zhejiang.province());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "33000", "3300000", "33000a", "000000"})
    void refusesCodesThatAreNotSixDigitsOfAProvince(String code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Admdvs.of(code));
        assertTrue(e.getMessage().contains("'" + code + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"110000", "150000", "210000", "230000", "310000", "370000", "410000", "460000", "500000",
            "540000", "610000", "650000", "660000", "330106"})
    void theMainlandsProvincesAreRealProvinces(String code) {
        assertTrue(Admdvs.of(code).inRealProvince(), code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"100000", "160000", "200000", "240000", "380000", "470000", "550000", "670000", "710000",
            "810000", "820000", "990000"})
    void codesWhoseFirstTwoDigitsNameNoProvinceAreNot(String code) {
        assertFalse(Admdvs.of(code).inRealProvince(), code);
    }

    @Test
    void rolesParseCaseInsensitivelyAndRefuseOthers() {
        assertEquals(NodeRole.HUB, NodeRole.parse(" Hub "));
        assertEquals("node", NodeRole.NODE.label());
        assertThrows(IllegalArgumentException.class, () -> NodeRole.parse("leader"));
        assertThrows(IllegalArgumentException.class, () -> NodeRole.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"990000", "100000", "330100", "330106", "33000", "", "3300OO", "1e5000"})
    void aProvinceTypedWhereOneIsAskedForIsAProvinceLevelCodeOfTheMainland(String code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Admdvs.ofProvince(code));
        assertEquals("not a province: '" + code + "' (a province-level code of the mainland, e.g. 630000)",
                e.getMessage());
    }

    @Test
    void aProvinceLevelCodeIsTakenAsTyped() {
        assertEquals(Admdvs.of("630000"), Admdvs.ofProvince(" 630000 "));
        assertEquals(Admdvs.of("660000"), Admdvs.ofProvince("660000"));
        assertThrows(IllegalArgumentException.class, () -> Admdvs.ofProvince(null));
    }
}
