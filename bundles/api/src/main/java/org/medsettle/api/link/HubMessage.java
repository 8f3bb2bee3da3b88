package org.medsettle.api.link;

import java.util.Objects;

import org.medsettle.api.Admdvs;

/**
 * A message between nodes through the national hub.
 *
 * @param msgId unique id given by the sender, used by the receiver to apply it once
 * @param type  what it is, e.g. {@code PERSON_LOOKUP}, {@code FILING_CHECK}, {@code SETTLEMENT_NOTICE}
 * @param from  the sending node's province
 * @param to    the receiving node's province
 * @param body  the JSON payload
 */
public record HubMessage(String msgId, String type, Admdvs from, Admdvs to, String body) {

    public HubMessage {
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
    }
}
