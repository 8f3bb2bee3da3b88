package org.medsettle.api.his;

/**
 * The node's transactions as a Camel endpoint, where every HIS adapter's route ends. An adapter authenticates the
 * hospital in its own way (an HTTP signature, a signed file), then sends the request envelope — the bytes as the
 * hospital sent them — to {@link #URI} with the hospital's {@code fixmedins_code} in the header
 * {@link #HOSPITAL_HEADER}; the answer's body is the response envelope (UTF-8 JSON bytes), for the adapter to hand
 * back. The endpoint is {@code direct-vm}, so it reaches across bundles in the same JVM only, and the producer waits
 * ({@code block=true&failIfNoConsumers=false}: without the latter, Camel's direct-vm does not wait at all) while the
 * treatment bundle is being updated. A third adapter is a route ending in
 * {@code .to(HisEndpoint.URI)}; it needs nothing else from the node.
 */
public final class HisEndpoint {

    /** The endpoint an adapter sends to: waits up to 10 s for the node's transactions while they are updated. */
    public static final String URI = "direct-vm:medsettle-his?block=true&failIfNoConsumers=false&timeout=10000";
    /** The endpoint the node's transactions consume (the same name, without the producer's options). */
    public static final String CONSUMER = "direct-vm:medsettle-his";
    /** The {@code fixmedins_code} of the hospital the adapter authenticated. */
    public static final String HOSPITAL_HEADER = "MedsettleHospital";

    private HisEndpoint() {
    }
}
