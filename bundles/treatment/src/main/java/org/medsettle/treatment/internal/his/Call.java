package org.medsettle.treatment.internal.his;

import java.time.Instant;
import java.util.Optional;

import org.medsettle.api.Admdvs;
import org.medsettle.api.hospital.Hospital;

/**
 * One request, its envelope checked.
 *
 * @param sha256      of the body as received: a repeated msgid must carry the same body
 * @param msgidLookUp where its msgid's record is read, as its transaction declares it ({@link HisService})
 */
record Call(String infno, String msgid, Hospital hospital, Admdvs treatmentPlace, Optional<Admdvs> insuredPlace,
            Input input, String sha256, Instant received, MsgidLookUp msgidLookUp) {
}
