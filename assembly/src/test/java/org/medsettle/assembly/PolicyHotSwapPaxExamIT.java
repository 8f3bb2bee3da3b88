package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Hot-swap contract 1 on the shipped appliance: a policy bundle for a province the project does not ship
 * (520000), made at test time from a manifest and a JSON file and nothing else, dropped into {@code deploy/},
 * updated to two versions, updated with an invalid file, and removed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyHotSwapPaxExamIT extends ApplianceTestSupport {

    private static final String GUIZHOU = "520000";

    @Test
    public void aPolicyBundleDroppedIntoDeployIsAppliedUpdatedRefusedAndWithdrawn() throws Exception {
        org.medsettle.api.policy.PolicyRegistry registry = service(org.medsettle.api.policy.PolicyRegistry.class, null);
        org.medsettle.api.Admdvs guizhou = org.medsettle.api.Admdvs.of(GUIZHOU);
        String template = shippedPolicy("630000");
        Path deploy = Path.of(context.getProperty("karaf.base"), "deploy");
        Path jar = deploy.resolve("medsettle-policy-520000.jar");

        // 1. Installed: listed and applied.
        drop(jar, "1.0.0", Map.of("policy/520000-2026.1.json", guizhou(template, "2026.1", "2026-01-01")));
        await().atMost(WAIT).until(() -> registry.province(guizhou).isPresent());
        assertEquals("2026.1", registry.inForce(guizhou, LocalDate.of(2026, 6, 1)).version());
        assertTrue(execute("medsettle:policy-list"), execute("medsettle:policy-list").contains("贵州省"));
        assertEquals(1, context.getServiceReferences(org.medsettle.api.policy.ProvincePolicy.class, "(admdvs=520000)").size());

        // 2. Updated with a second version with a later effectiveFrom: both in force, each on its dates.
        drop(jar, "1.1.0", Map.of("policy/520000-2026.1.json", guizhou(template, "2026.1", "2026-01-01"),
                "policy/520000-2026.2.json", guizhou(template, "2026.2", "2026-07-01")));
        await().atMost(WAIT).until(() -> registry.province(guizhou).map(p -> p.versions().size()).orElse(0) == 2);
        assertEquals("2026.1", registry.inForce(guizhou, LocalDate.of(2026, 6, 30)).version());
        assertEquals("2026.2", registry.inForce(guizhou, LocalDate.of(2026, 7, 1)).version());

        // 3. An invalid update is refused; the previous versions stay in force and the console says why.
        drop(jar, "1.2.0", Map.of("policy/520000-2026.3.json",
                guizhou(template, "2026.3", "2026-09-01").replaceFirst("\"inService\": 0\\.\\d+", "\"inService\": 1.5")));
        await().atMost(WAIT).until(() -> !registry.refusals().isEmpty());
        assertEquals(2, registry.province(guizhou).orElseThrow().versions().size());
        assertEquals("2026.2", registry.inForce(guizhou, LocalDate.of(2026, 10, 1)).version());
        String list = execute("medsettle:policy-list");
        assertTrue(list, list.contains("Refused") && list.contains("medsettle-policy-520000/1.2.0"));
        assertTrue(registry.refusals().get(0).problems().toString(), registry.refusals().get(0).problems().get(0)
                .endsWith("520000-2026.3.json $.insuranceTypes.310.benefits.21.tiers[0].inService: ratio must be in [0, 1]: 1.5"));
        assertTrue(execute("medsettle:health"), execute("medsettle:health").contains("refused"));

        // 4. Removed: the clear error, never a zero payout.
        Files.delete(jar);
        await().atMost(WAIT).until(() -> registry.province(guizhou).isEmpty());
        try {
            registry.inForce(guizhou, LocalDate.of(2026, 6, 1));
            fail("a removed policy must not be applied");
        } catch (org.medsettle.api.policy.PolicyNotFoundException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("no policy of insured province 520000"));
        }
        assertTrue(execute("medsettle:policy-show 520000 2026-06-01").contains("no policy of insured province 520000"));
        assertTrue(registry.refusals().isEmpty());
        assertFalse(registry.province(org.medsettle.api.Admdvs.of("630000")).isEmpty());

        // 5. Every one of these changes, made on the file system and not at the console, is in the audit trail.
        org.medsettle.api.store.AuditLog audit = service(org.medsettle.api.store.AuditLog.class, null);
        for (String type : List.of("BUNDLE_INSTALLED", "BUNDLE_UPDATED", "BUNDLE_UNINSTALLED")) {
            await().atMost(WAIT).until(() -> audit.recent(100, java.util.Optional.of(type)).stream()
                    .anyMatch(r -> r.event().subject().startsWith("medsettle-policy-520000 ")
                            && r.event().detail().contains("deploy/medsettle-policy-520000.jar")
                            && "system".equals(r.event().actor())));
        }
        assertTrue("updated twice", audit.recent(100, java.util.Optional.of("BUNDLE_UPDATED")).stream()
                .filter(r -> r.event().subject().startsWith("medsettle-policy-520000 ")).count() >= 2);
    }

    @Test
    public void aConfigurationChangedInItsFileIsAuditedWithoutItsValues() throws Exception {
        org.medsettle.api.store.AuditLog audit = service(org.medsettle.api.store.AuditLog.class, null);
        Path file = Path.of(context.getProperty("karaf.etc"), "org.medsettle.auditprobe.cfg");
        Files.writeString(file, "password = s3cr3t-value\n");
        await().atMost(WAIT).until(() -> audit.recent(100, java.util.Optional.of("CONFIGURATION_UPDATED")).stream()
                .anyMatch(r -> r.event().subject().equals("org.medsettle.auditprobe")));
        Files.delete(file);
        await().atMost(WAIT).until(() -> audit.recent(100, java.util.Optional.of("CONFIGURATION_DELETED")).stream()
                .anyMatch(r -> r.event().subject().equals("org.medsettle.auditprobe")));
        String trail = execute("medsettle:audit -n 50");
        assertTrue(trail, trail.contains("org.medsettle.auditprobe"));
        assertFalse(trail, trail.contains("s3cr3t"));
        // the appliance as shipped is not a change: nothing of its boot features before BootFinished
        assertTrue(audit.recent(1000, java.util.Optional.of("BUNDLE_INSTALLED")).stream()
                .noneMatch(r -> r.event().subject().startsWith("medsettle-store ")));
    }

    @Test
    public void aPolicyFileIsCheckedWithoutInstallingIt() throws Exception {
        Path dir = Files.createTempDirectory("policy-check");
        Path good = dir.resolve("good.json");
        Files.writeString(good, guizhou(shippedPolicy("630000"), "2027.1", "2027-01-01"));
        String valid = execute("medsettle:policy-check " + good);
        assertTrue(valid, valid.contains("VALID: good.json"));
        assertTrue(valid, valid.contains("520000 贵州省, version 2027.1"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, shippedPolicy("630000").replaceFirst("\"TEMPORARY\": [0-9.]+", "\"TEMPORARY\": 0.3"));
        String invalid = execute("medsettle:policy-check " + bad);
        assertTrue(invalid, invalid.contains("$.crossProvince.ratioReduction.TEMPORARY: reduction 0.3 is above the national maximum 0.20"));
        assertTrue(invalid, invalid.contains("INVALID"));
        assertTrue(service(org.medsettle.api.policy.PolicyRegistry.class, null).province(org.medsettle.api.Admdvs.of(GUIZHOU)).isEmpty());
    }

    private String shippedPolicy(String admdvs) throws IOException {
        for (Bundle b : context.getBundles()) {
            if (("medsettle-policy-" + admdvs).equals(b.getSymbolicName())) {
                try (InputStream in = b.getEntry("policy/" + admdvs + ".json").openStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no shipped policy bundle for " + admdvs);
    }

    private static String guizhou(String template, String version, String effectiveFrom) {
        return template.replace("\"630000\"", "\"" + GUIZHOU + "\"").replace("青海省", "贵州省")
                .replaceFirst("\"version\": \"[^\"]*\"", "\"version\": \"" + version + "\"")
                .replaceFirst("\"effectiveFrom\": \"[^\"]*\"", "\"effectiveFrom\": \"" + effectiveFrom + "\"");
    }

    /** Writes a data-only policy bundle and moves it into place at once, as an administrator's copy would. */
    private static void drop(Path target, String version, Map<String, String> files) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "medsettle-policy-" + GUIZHOU);
        main.putValue("Bundle-Version", version);
        main.putValue("Medsettle-Policy", String.join(", ", new LinkedHashMap<>(files).keySet()));
        Path temp = Files.createTempFile(target.getParent().getParent(), "policy", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                jar.putNextEntry(new JarEntry(file.getKey()));
                jar.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

}
