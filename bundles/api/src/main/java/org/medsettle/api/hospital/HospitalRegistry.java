package org.medsettle.api.hospital;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.store.Actor;

/**
 * The designated hospitals of this node and their credentials. A hospital signs each request body with its own
 * key (HMAC-SHA256, see the README); the node accepts a request only when the signature verifies with the key of
 * the hospital the request names.
 */
public interface HospitalRegistry {

    /** The signature header a hospital sends: {@code hex(HMAC-SHA256(key, body))}. */
    String SIGNATURE_HEADER = "X-Medsettle-Signature";

    Optional<Hospital> byCode(String code);

    List<Hospital> all();

    /**
     * Reads a hospital CSV ({@code fixmedins_code,fixmedins_name,hosp_lv,admdvs}); every hospital must be in
     * this node's province. All lines or nothing; new hospitals get a key.
     */
    HospitalImportResult importCsv(InputStream csv, String source, Actor actor);

    /**
     * Whether {@code signature} is the signature of {@code body} with the key of hospital {@code code}.
     * Constant-time comparison; an unknown hospital never verifies.
     */
    boolean verify(String code, byte[] body, String signature);

    /** The hospital's current key (base64), for its HIS vendor. Only administrators may see it. */
    Optional<String> key(String code);

    /** Replaces the hospital's key; the old one stops working at once. Audited. */
    String rotateKey(String code, Actor actor);
}
