package org.medsettle.api.hub;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.medsettle.api.Admdvs;
import org.medsettle.api.store.Actor;

/** The national hub's directory of province nodes and what went through it. */
public interface HubDirectory {

    /**
     * A registered node: where its link listens ({@code https://host:MEDSETTLE_LINK_PORT}) and the SHA-256 fingerprint
     * of its link certificate, which the hub requires of it as a TLS client and as a TLS server.
     */
    record Node(Admdvs admdvs, URI url, String certificate, Instant updated) {
    }

    /** Traffic from one node to another of one message type since the hub started. */
    record Traffic(String from, String to, String type, long delivered, long failed, long totalMillis,
                   String lastError) {
    }

    List<Node> nodes();

    /**
     * Adds a node or replaces its address and certificate. Audited.
     *
     * @param certificate the fingerprint of the node's link certificate (see
     *                    {@link org.medsettle.api.instance.LinkCertificate#parseFingerprint})
     * @throws IllegalArgumentException for a code that is not a province, an address that is not https, or a
     *                                  fingerprint that is not one
     */
    Node register(Admdvs admdvs, URI url, String certificate, Actor actor);

    /**
     * Takes a node out of the directory (a province's node decommissioned, its certificate compromised): from then on
     * the hub refuses its requests and routes nothing to it. Audited.
     *
     * @return false if no node of that province was registered
     */
    boolean remove(Admdvs admdvs, Actor actor);

    List<Traffic> traffic();

    /** Entries of the national index of insured persons (hashed keys only). */
    long indexSize();

    /**
     * Sends a message of the hub's own (the monthly clearing's) to the node of {@code node}, over mutual TLS as the
     * hub forwards messages, and waits for the answer.
     *
     * @param body the message's JSON
     * @return the answer's JSON
     * @throws org.medsettle.api.link.LinkUnavailableException if the node is not in the directory, could not be
     *                                                         reached or did not answer
     * @throws IllegalStateException                           if the node refused the message (the reason)
     */
    String ask(Admdvs node, String type, String body);
}
