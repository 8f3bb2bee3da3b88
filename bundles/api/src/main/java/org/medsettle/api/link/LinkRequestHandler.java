package org.medsettle.api.link;

/**
 * Answers the messages of some types that the national hub itself sends to a node (the monthly clearing): a
 * whiteboard service, its types in service property {@value #TYPES}. The node's link passes such a message to the
 * handler of its type only if it came from the hub ({@code from} 100000); without a handler it answers that it did
 * not look at the message, so the hub sends it again later.
 */
public interface LinkRequestHandler {

    /** Service property: the message types handled (a String or String[]). */
    String TYPES = "medsettle.link.types";

    /**
     * The answer to {@code message}.
     *
     * @return the answer's JSON
     * @throws IllegalArgumentException if the message is not understood (the hub is told, status 400)
     * @throws IllegalStateException    if it is refused for what it asks (the reason goes back as a refusal)
     */
    String answer(HubMessage message);
}
