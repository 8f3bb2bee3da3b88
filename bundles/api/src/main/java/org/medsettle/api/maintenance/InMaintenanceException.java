package org.medsettle.api.maintenance;

import org.medsettle.api.link.LinkUnavailableException;

/**
 * A province's node was not asked because it announced that it is down for maintenance now: nothing was done there.
 */
public class InMaintenanceException extends LinkUnavailableException {

    private static final long serialVersionUID = 1L;

    private final transient MaintenanceNotices.Window window;

    public InMaintenanceException(MaintenanceNotices.Window window) {
        super("the insured province " + window.province() + " announced that its system is down for maintenance "
                + "(停机维护) until " + MaintenanceText.china(window.until()) + " (China time): " + window.reason(), null);
        this.window = window;
    }

    public MaintenanceNotices.Window window() {
        return window;
    }
}
