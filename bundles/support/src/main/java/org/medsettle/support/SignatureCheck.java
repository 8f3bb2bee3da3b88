package org.medsettle.support;

/**
 * What a HIS adapter needs of the hospital registry: whether a request was signed by the hospital it names. The
 * adapters hand over {@code HospitalRegistry::verify}; their tests, the check they are about.
 */
@FunctionalInterface
public interface SignatureCheck {

    /** Whether {@code signature} is the hospital {@code hospital}'s over exactly {@code body}. */
    boolean signedBy(String hospital, byte[] body, String signature);
}
