package org.medsettle.store.testing;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkState;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.link.OutboxEntry;

/**
 * A node's link without a hub, for tests of the bundles that send notices: every notice committed is kept in
 * {@link #notices}, in order, for the test to deliver (as the outbox would); a question gets no answer, as from a
 * node whose hub cannot be reached.
 */
public final class RecordingLink implements NationalLink {

    public final List<HubMessage> notices = new ArrayList<>();

    @Override
    public HubMessage request(HubMessage question, Duration timeout) {
        throw new LinkUnavailableException("no hub in this test", null);
    }

    @Override
    public void enqueue(HubMessage notice) {
        notices.add(notice);
    }

    @Override
    public void enqueue(Connection transaction, HubMessage notice) {
        notices.add(notice);
    }

    @Override
    public LinkState state() {
        return new LinkState(Optional.empty(), "", Optional.empty(), Optional.empty(), "no hub in this test",
                notices.size(), Optional.empty());
    }

    @Override
    public List<OutboxEntry> outbox(int limit, boolean pendingOnly) {
        return List.of();
    }
}
