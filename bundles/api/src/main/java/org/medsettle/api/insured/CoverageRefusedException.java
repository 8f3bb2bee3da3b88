package org.medsettle.api.insured;

/** The insured node refuses to let the visit settle directly (unknown person, no filing); a business error. */
public class CoverageRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CoverageRefusedException(String message) {
        super(message);
    }
}
