package org.medsettle.api.store;

/** The store could not do what was asked; the message says what and why. Nothing was half-written. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
