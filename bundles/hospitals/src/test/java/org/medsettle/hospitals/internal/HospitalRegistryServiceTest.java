package org.medsettle.hospitals.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.hospital.HospitalImportResult;
import org.medsettle.api.store.Actor;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

@org.junit.jupiter.api.Tag("database")
class HospitalRegistryServiceTest {

    static final String CSV = """
            fixmedins_code,fixmedins_name,hosp_lv,admdvs
            H33030000001,第一人民医院,3,330300
            H33080000004,大学附属第二医院,2,330800
            """;

    private StoreComponent store;
    private HospitalRegistryService registry;


    @BeforeEach
    void setUp() {
        store = TestStores.fresh();
        registry = new HospitalRegistryService(store, store, TestIdentities.node("330000"));
    }

    private HospitalImportResult importCsv(String csv) {
        return registry.importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv",
                Actor.console("admin"));
    }

    @Test
    void importedHospitalsAreListedWithTheirLevelAndEachGetsItsOwnKey() {
        HospitalImportResult result = importCsv(CSV);
        assertTrue(result.accepted(), result.problems().toString());
        assertEquals(List.of("H33030000001", "H33080000004"), result.added());
        assertEquals(3, registry.byCode("H33030000001").orElseThrow().level());
        assertEquals(2, registry.all().get(1).level());
        assertNotEquals(registry.key("H33030000001"), registry.key("H33080000004"));
        assertEquals(32, Base64.getDecoder().decode(registry.key("H33030000001").orElseThrow()).length);
    }

    @Test
    void aReimportUpdatesNamesAndLevelsButKeepsTheKeys() {
        importCsv(CSV);
        String key = registry.key("H33030000001").orElseThrow();
        HospitalImportResult again = importCsv(CSV.replace(",3,330300", ",2,330300"));
        assertEquals(2, again.updated());
        assertTrue(again.added().isEmpty());
        assertEquals(key, registry.key("H33030000001").orElseThrow());
        assertEquals(2, new HospitalRegistryService(store, store, TestIdentities.node("330000")).byCode("H33030000001").orElseThrow().level());
    }

    @Test
    void aSignatureVerifiesOnlyWithTheNamedHospitalsKeyAndTheExactBody() {
        importCsv(CSV);
        byte[] body = "{\"infno\":\"9001\"}".getBytes(StandardCharsets.UTF_8);
        byte[] key = Base64.getDecoder().decode(registry.key("H33030000001").orElseThrow());
        String signature = HexFormat.of().formatHex(HospitalRegistryService.sign(key, body));
        assertTrue(registry.verify("H33030000001", body, signature));
        assertTrue(registry.verify("H33030000001", body, signature.toUpperCase()));
        assertFalse(registry.verify("H33080000004", body, signature), "another hospital's key");
        assertFalse(registry.verify("H33030000001", "{\"infno\":\"9002\"}".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(registry.verify("H33030000001", body, ""));
        assertFalse(registry.verify("H99999999999", body, signature));
    }

    @Test
    void aRotatedKeyReplacesTheOldOneAtOnce() {
        importCsv(CSV);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] old = Base64.getDecoder().decode(registry.key("H33030000001").orElseThrow());
        String oldSignature = HexFormat.of().formatHex(HospitalRegistryService.sign(old, body));
        String fresh = registry.rotateKey("H33030000001", Actor.console("admin"));
        assertFalse(registry.verify("H33030000001", body, oldSignature));
        assertTrue(registry.verify("H33030000001", body,
                HexFormat.of().formatHex(HospitalRegistryService.sign(Base64.getDecoder().decode(fresh), body))));
        assertEquals("HOSPITAL_KEY_ROTATED", store.recent(1, Optional.empty()).get(0).event().type());
    }

    @Test
    void aBadFileIsRefusedWholeWithEveryLineNamed() {
        HospitalImportResult result = importCsv("""
                fixmedins_code,fixmedins_name,hosp_lv,admdvs
                H33030000001,好医院,3,330300
                X1,坏医院,4,330300
                H11080000001,北京医院,3,110800
                H33030000001,重复,3,330300
                """);
        assertFalse(result.accepted());
        assertEquals(5, result.problems().size(), result.problems().toString());
        assertTrue(result.problems().get(0).startsWith("line 3: fixmedins_code"), result.problems().get(0));
        assertTrue(result.problems().get(1).startsWith("line 3: hosp_lv"), result.problems().get(1));
        assertEquals("line 4: fixmedins_code H11080000001 carries the division 110800 (its 2nd to 7th characters), "
                + "which is not in this node's province 330000", result.problems().get(2));
        assertTrue(result.problems().get(3).contains("admdvs 110800 is not in this node's province 330000"),
                result.problems().get(3));
        assertTrue(result.problems().get(4).contains("appears twice"), result.problems().get(4));
        assertTrue(registry.all().isEmpty());
    }

    @Test
    void aHospitalWhoseCodeIsAnotherProvincesIsRefusedEvenWithADivisionOfThisOne() {
        HospitalImportResult result = importCsv("""
                fixmedins_code,fixmedins_name,hosp_lv,admdvs
                H63010000001,错号医院,2,330100
                H33010000002,区划调整后的医院,2,330110
                """);
        assertFalse(result.accepted());
        assertEquals(List.of("line 2: fixmedins_code H63010000001 carries the division 630100 (its 2nd to 7th "
                + "characters), which is not in this node's province 330000"), result.problems());
        // a code from a division of this province that has since become another: taken
        HospitalImportResult fixed = importCsv("""
                fixmedins_code,fixmedins_name,hosp_lv,admdvs
                H33010000002,区划调整后的医院,2,330110
                """);
        assertTrue(fixed.accepted(), fixed.problems().toString());
    }
}
