package org.medsettle.api.policy;

import java.io.InputStream;

/** Reads and validates a policy file without installing it ({@code medsettle:policy-check}). */
public interface PolicyValidator {

    /**
     * @param source for messages: where the file came from
     * @throws InvalidPolicyException naming every problem
     */
    Policy validate(InputStream json, String source);
}
