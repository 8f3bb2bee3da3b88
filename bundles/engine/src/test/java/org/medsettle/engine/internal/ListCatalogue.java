package org.medsettle.engine.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.ChargeClass;

/** A catalogue held in a map, read from the reference CSV format (the catalogue bundle's import is tested there). */
public final class ListCatalogue implements Catalogue {

    private final Map<String, List<CatalogueEntry>> byCode = new HashMap<>();
    private final String version;

    ListCatalogue(String version, List<CatalogueEntry> entries) {
        this.version = version;
        entries.forEach(e -> byCode.computeIfAbsent(e.medListCodg(), k -> new ArrayList<>()).add(e));
    }

    public static ListCatalogue reference(String admdvs) {
        String path = "/reference/catalogues/" + admdvs + ".csv";
        try (InputStream in = ListCatalogue.class.getResourceAsStream(path);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<CatalogueEntry> entries = new ArrayList<>();
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.strip().split(",", -1);
                entries.add(new CatalogueEntry(f[0], f[1], f[2], ChargeClass.valueOf(f[3]), new BigDecimal(f[4]),
                        f[5].isEmpty() ? Optional.empty() : Optional.of(new BigDecimal(f[5])), LocalDate.parse(f[6]),
                        f[7].isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(f[7]))));
            }
            return new ListCatalogue(admdvs + " reference", entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<CatalogueEntry> lookup(String medListCodg, LocalDate date) {
        List<CatalogueEntry> versions = byCode.get(medListCodg);
        if (versions != null) {
            for (CatalogueEntry entry : versions) {
                if (entry.validOn(date)) {
                    return Optional.of(entry);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String activeVersion() {
        return version;
    }
}
