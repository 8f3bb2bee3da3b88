package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.NodeRole;

class InstanceSettingsTest {

    @Test
    void aValidNodeConfiguration() {
        InstanceSettings s = InstanceSettings.parse("node", "330000", "http://127.0.0.1:8180");
        assertEquals(NodeRole.NODE, s.role());
        assertEquals(Admdvs.of("330000"), s.admdvs());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:8180")), s.hubUrl());
    }

    @Test
    void anEmptyHubUrlMeansNoHubYet() {
        assertEquals(Optional.empty(), InstanceSettings.parse("hub", "100000", " ").hubUrl());
    }

    @Test
    void everyBadSettingIsNamedWithItsEnvironmentVariableAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InstanceSettings.parse("leader", "33", "ftp://x"));
        assertTrue(e.getMessage().contains("MEDSETTLE_ROLE"), e.getMessage());
        assertTrue(e.getMessage().contains("MEDSETTLE_ADMDVS"), e.getMessage());
        assertTrue(e.getMessage().contains("MEDSETTLE_HUB_URL"), e.getMessage());
    }

    @Test
    void aNodeServesAProvinceNotADistrict() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InstanceSettings.parse("node", "330106", ""));
        assertTrue(e.getMessage().contains("whole province"), e.getMessage());
    }

    @Test
    void aNodeServesAProvinceThatExistsAndOnlyTheHubIs100000() {
        for (String nowhere : new String[] {"990000", "100000", "710000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InstanceSettings.parse("node", nowhere, ""), nowhere);
            assertTrue(e.getMessage().contains("MEDSETTLE_ADMDVS (admdvs): a node serves a province of the mainland"),
                    e.getMessage());
        }
        assertEquals(Admdvs.of("660000"), InstanceSettings.parse("node", "660000", "").admdvs());
        assertEquals(Admdvs.of("100000"), InstanceSettings.parse("hub", "100000", "").admdvs());
    }

    @Test
    void osgiVersionsArePrintedTheMavenWay() {
        assertEquals("0.1.0-SNAPSHOT", new InstanceIdentityComponent.Version("0.1.0.SNAPSHOT").text());
        assertEquals("1.2.3", new InstanceIdentityComponent.Version("1.2.3").text());
    }
}
