package org.medsettle.policy.internal;

import java.util.List;

import org.medsettle.api.policy.InvalidPolicyException;

/** A policy file that does not follow policy-format.md; every problem is named by its JSON path. */
public class PolicyValidationException extends InvalidPolicyException {

    private static final long serialVersionUID = 1L;

    public PolicyValidationException(String source, List<String> problems) {
        super(source, problems);
    }
}
