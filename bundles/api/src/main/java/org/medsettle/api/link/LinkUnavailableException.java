package org.medsettle.api.link;

/** The hub or the other node could not be reached in time; nothing was done on the far side. */
public class LinkUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
