package org.medsettle.api.filing;

/** A filing request or change broke a rule of filings.md; nothing was changed. The message names the field. */
public class FilingRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public FilingRefusedException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The request field the refusal is about, e.g. {@code valid_to}. */
    public String field() {
        return field;
    }
}
