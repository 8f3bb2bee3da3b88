package org.medsettle.store.testing;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkState;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.link.OutboxEntry;

/**
 * A node's link whose questions the hub's own code answers in the test (its refusal, an
 * {@link IllegalArgumentException}, comes back as the link's refusal would); {@link #down} makes the hub unreachable.
 * Notices are recorded as {@link RecordingLink} does.
 */
public final class AnsweringLink implements NationalLink {

    /** The hub's code for a question: the answer's JSON. */
    @FunctionalInterface
    public interface Hub {
        String answer(HubMessage question) throws Exception;
    }

    private final Hub hub;
    private final RecordingLink notices = new RecordingLink();
    /** The hub cannot be reached. */
    public volatile boolean down;

    public AnsweringLink(Hub hub) {
        this.hub = hub;
    }

    @Override
    public HubMessage request(HubMessage q, Duration timeout) {
        if (down) {
            throw new LinkUnavailableException("the hub does not answer (test)", null);
        }
        String answer;
        try {
            answer = hub.answer(q);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new HubMessage(q.msgId(), q.type(), q.to(), q.from(), answer);
    }

    @Override
    public void enqueue(HubMessage notice) {
        notices.enqueue(notice);
    }

    @Override
    public void enqueue(Connection transaction, HubMessage notice) {
        notices.enqueue(transaction, notice);
    }

    @Override
    public LinkState state() {
        return notices.state();
    }

    @Override
    public List<OutboxEntry> outbox(int limit, boolean pendingOnly) {
        return notices.outbox(limit, pendingOnly);
    }
}
