package org.medsettle.api.link;

/**
 * The hub or the other node could not be reached, or did not answer in time. Whether the far side did anything with
 * the message is known only when {@link #undelivered()} says so: a time-out, or a connection lost after the message
 * went out, may have been acted on there.
 */
public class LinkUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean undelivered;

    /** A failure after which the far side may or may not have acted on the message. */
    public LinkUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param undelivered the message certainly did not reach the far side (nothing listening, the breaker open, the
     *                    hub answering that the receiving node cannot be reached or did not take it): nothing was done
     *                    there
     */
    public LinkUnavailableException(String message, Throwable cause, boolean undelivered) {
        super(message, cause);
        this.undelivered = undelivered;
    }

    /**
     * Whether the message certainly did not reach the far side, so nothing was done there — what lets a sender give
     * up on a change (write) as not made. False whenever that is not certain.
     */
    public boolean undelivered() {
        return undelivered;
    }
}
