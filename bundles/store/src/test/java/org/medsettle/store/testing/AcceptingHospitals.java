package org.medsettle.store.testing;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.hospital.Hospital;
import org.medsettle.api.hospital.HospitalImportResult;
import org.medsettle.api.hospital.HospitalRegistry;
import org.medsettle.api.store.Actor;

/**
 * For tests of what comes after a hospital's signature (HIS adapters' routes, their benchmarks): a registry that knows
 * no hospital and takes every signature as valid (a test that checks signatures overrides {@link #verify}). Whether signatures are checked is tested against the real registry.
 */
public class AcceptingHospitals implements HospitalRegistry {

    @Override
    public Optional<Hospital> byCode(String code) {
        return Optional.empty();
    }

    @Override
    public List<Hospital> all() {
        return List.of();
    }

    @Override
    public HospitalImportResult importCsv(InputStream csv, String source, Actor actor) {
        throw new UnsupportedOperationException("not in tests of the adapters");
    }

    @Override
    public boolean verify(String code, byte[] body, String signature) {
        return true;
    }

    @Override
    public Optional<String> key(String code) {
        return Optional.empty();
    }

    @Override
    public String rotateKey(String code, Actor actor) {
        throw new UnsupportedOperationException("not in tests of the adapters");
    }
}
