package org.medsettle.treatment.internal.his;

/**
 * A part of this node that a transaction needs is not running (stopping, starting, being updated) and nothing was
 * done: not a refusal of the request but of this moment. It leaves the transactions as an exception, which the HIS
 * adapter answers with HTTP 503 and {@code infcode -1} "send the same request again" — so that a load balancer in
 * front of several instances sends it to another one (README "Several instances of one province").
 */
final class NodeNotReady extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NodeNotReady(String message) {
        super(message, null, false, false);
    }
}
