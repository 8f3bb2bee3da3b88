package org.medsettle.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** A hospital's way to its node: one national-interface transaction in, the response envelope out. */
public interface His {

    /** The hospital's {@code fixmedins_code}. */
    String hospital();

    /** Sends one transaction with a fresh msgid and answers the response envelope. */
    JsonNode call(String infno, String insuplc, JsonNode input);
}
