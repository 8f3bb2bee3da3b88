package org.medsettle.api.instance;

/**
 * This instance's own signing key (Ed25519), made at its first start and kept in {@code etc/keys/}. Nodes and the
 * hub sign every message they send with it; the receiver checks the signature with the sender's public key (the
 * hub's directory holds the nodes' keys, each node holds the hub's).
 */
public interface InstanceKeys {

    /** The public key, X.509 encoded, base64: what the other side is given. */
    String publicKey();

    /** The Ed25519 signature of {@code data}. */
    byte[] sign(byte[] data);
}
