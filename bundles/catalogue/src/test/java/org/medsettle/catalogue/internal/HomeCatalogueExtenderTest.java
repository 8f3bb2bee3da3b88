package org.medsettle.catalogue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.Admdvs;

/**
 * The insured provinces' own catalogues (参保地目录) as their policy bundles give them: read and validated as an import
 * is; a bundle that gives a bad one keeps the one it gave before; a wrong header is said.
 */
class HomeCatalogueExtenderTest {

    @TempDir
    Path dir;

    private HomeCatalogueExtender.Entries files() {
        return path -> {
            Path p = dir.resolve(path);
            try {
                return Files.exists(p) ? p.toUri().toURL() : getClass().getResource("/" + path);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void aBundlesCatalogueIsInForceForItsProvinceAndAFailedUpdateKeepsTheOneBefore() throws IOException {
        HomeCatalogueExtender extender = new HomeCatalogueExtender();
        extender.read(7, "medsettle-policy-630000 1.0.0", "630000=catalogue-330000.csv", files());
        assertTrue(extender.of(Admdvs.of("630100")).isPresent(), "a city of 630000 finds its province's");
        assertTrue(extender.of(Admdvs.of("630000")).orElseThrow()
                .lookup("XB05AAA448A030869010040", LocalDate.of(2026, 3, 1)).isPresent());
        assertTrue(extender.of(Admdvs.of("110000")).isEmpty());

        Files.writeString(dir.resolve("bad.csv"), CatalogueCsv.HEADER + "\nX1,name,drug,D,0,,2020-01-01,\n",
                StandardCharsets.UTF_8);
        extender.read(7, "medsettle-policy-630000 1.0.1", "630000=bad.csv", files());
        assertTrue(extender.of(Admdvs.of("630000")).orElseThrow()
                .lookup("XB05AAA448A030869010040", LocalDate.of(2026, 3, 1)).isPresent(), "the one before stays");
        String described = String.join("\n", extender.describe());
        assertTrue(described.contains("REFUSED") && described.contains("class must be A, B or C"), described);
        extender.removed(7, "medsettle-policy-630000 1.0.1");
        assertTrue(extender.of(Admdvs.of("630000")).isEmpty());
    }

    @Test
    void aWrongHeaderOrAMissingFileIsSaidAndGivesNothing() {
        HomeCatalogueExtender extender = new HomeCatalogueExtender();
        extender.read(1, "b1", "catalogue.csv", files());
        extender.read(2, "b2", "630000=no-such.csv", files());
        extender.read(3, "b3", "123456=catalogue-330000.csv", files());
        String described = String.join("\n", extender.describe());
        assertTrue(described.contains("'<province>=<path>'"), described);
        assertTrue(described.contains("no such file in the bundle"), described);
        assertEquals(3, described.split("REFUSED", -1).length - 1, described);
        assertTrue(extender.of(Admdvs.of("630000")).isEmpty());
    }
}
