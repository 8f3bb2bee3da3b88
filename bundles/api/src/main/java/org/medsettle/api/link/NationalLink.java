package org.medsettle.api.link;

import java.time.Duration;

/** The node's link to the national hub. */
public interface NationalLink {

    /**
     * Sends a question (a person look-up, a filing check) and waits for the answer.
     *
     * @throws LinkUnavailableException if no answer came within {@code timeout}
     */
    HubMessage request(HubMessage question, Duration timeout);

    /**
     * Queues a notice (settlement, reversal) in the durable outbox; it is sent in order, retried until the
     * receiver has it, and applied there once. The notice is stored durably before this returns.
     */
    void enqueue(HubMessage notice);

    /**
     * Writes a notice into the durable outbox (table {@code link_outbox}, which the link alone writes) within the
     * caller's transaction: the change the notice reports and the notice are committed together, or neither. The
     * link sends it later, in order, until the receiver has it; it may be stopped or replaced meanwhile.
     */
    void enqueue(java.sql.Connection transaction, HubMessage notice) throws java.sql.SQLException;

    /** How the link stands: the hub, the last exchanges, the outbox. */
    LinkState state();

    /** The newest notices of the outbox (sent or not), newest first. */
    java.util.List<OutboxEntry> outbox(int limit, boolean pendingOnly);
}
