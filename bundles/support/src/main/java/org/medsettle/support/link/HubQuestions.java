package org.medsettle.support.link;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.link.HubMessage;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.link.NationalLink;

/**
 * A question a node asks the national hub itself (maintenance notices, policy distribution), over the node's link:
 * the answer as JSON; the hub's refusal an {@link IllegalArgumentException} with its reason; no answer a
 * {@link LinkUnavailableException}.
 */
public final class HubQuestions {

    /** The hub's own division code: the receiver of its questions. */
    public static final Admdvs HUB = Admdvs.of("100000");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HubQuestions() {
    }

    /**
     * @param kind a short tag for the message id ({@code <self>-<kind>-<uuid>}), e.g. {@code mt}
     */
    public static JsonNode ask(NationalLink link, Admdvs self, String kind, String type, ObjectNode body,
                               Duration timeout) {
        HubMessage answer;
        try {
            answer = link.request(new HubMessage(self.code() + "-" + kind + "-" + UUID.randomUUID(), type, self, HUB,
                    body.toString()), timeout);
        } catch (LinkUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the national hub refused it: " + e.getMessage(), e);
        }
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException("the national hub's answer is not JSON: " + e.getMessage(), e);
        }
    }
}
