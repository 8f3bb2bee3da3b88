package org.medsettle.api.hub;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.medsettle.api.Admdvs;
import org.medsettle.api.store.Actor;

/** The national hub's directory of province nodes and what went through it. */
public interface HubDirectory {

    /** A registered node: where it listens and the public key its messages are checked with. */
    record Node(Admdvs admdvs, URI url, String publicKey, Instant updated) {
    }

    /** Traffic from one node to another of one message type since the hub started. */
    record Traffic(String from, String to, String type, long delivered, long failed, long totalMillis,
                   String lastError) {
    }

    List<Node> nodes();

    /** Adds a node or replaces its address and key. Audited. */
    Node register(Admdvs admdvs, URI url, String publicKey, Actor actor);

    List<Traffic> traffic();

    /** Entries of the national index of insured persons (hashed keys only). */
    long indexSize();
}
