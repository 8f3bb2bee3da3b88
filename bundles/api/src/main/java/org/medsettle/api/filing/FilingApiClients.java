package org.medsettle.api.filing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.store.Actor;

/**
 * The clients of the filing API (online services, apps, the agency's counter) and their signing keys. A key is
 * shown once, when the client is added, and otherwise only as a fingerprint; a client is revoked, never deleted.
 */
public interface FilingApiClients {

    /** A client as an administrator sees it: never its key. */
    record Client(String name, String fingerprint, Instant createdAt, String createdBy, Optional<Instant> revokedAt,
                  Optional<String> revokedBy) {

        public boolean active() {
            return revokedAt.isEmpty();
        }
    }

    /** A client just added, with its key (base64) — the only time the key leaves the node. */
    record NewClient(Client client, String keyBase64) {
    }

    /**
     * Adds a client with a new random 256-bit key.
     *
     * @throws IllegalArgumentException if the name is not 1 to 40 letters, digits, - or _, or is taken
     */
    NewClient add(String name, Actor actor);

    /**
     * Revokes a client: its requests are refused from now on.
     *
     * @throws IllegalArgumentException if there is no such active client
     */
    Client revoke(String name, Actor actor);

    /** Every client, active and revoked, by name. */
    List<Client> list();

    /** The key of an active client, for checking its signatures. */
    Optional<byte[]> key(String name);
}
