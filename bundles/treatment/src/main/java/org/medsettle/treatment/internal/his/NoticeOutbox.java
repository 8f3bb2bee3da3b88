package org.medsettle.treatment.internal.his;

import java.sql.Connection;
import java.sql.SQLException;

import org.medsettle.api.link.HubMessage;

/**
 * Where a settlement's notice to the insured place goes, in the settlement's own transaction: the national link's
 * durable outbox ({@link org.medsettle.api.link.NationalLink#enqueue(Connection, HubMessage)}), whose table the link
 * alone writes.
 */
@FunctionalInterface
interface NoticeOutbox {

    void enqueue(Connection transaction, HubMessage notice) throws SQLException;
}
