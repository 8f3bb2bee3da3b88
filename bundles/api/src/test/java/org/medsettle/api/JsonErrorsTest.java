package org.medsettle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    @Test
    void jacksonsMessagesAreSaidWithoutJavaNames() {
        assertEquals("more follows after the envelope's closing }: send exactly one JSON object", JsonErrors.plain(
                "Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): "
                        + "not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`\n at [Source: (byte[])"));
        assertEquals("the body is empty: send one JSON object", JsonErrors.plain("No content to map due to end-of-input"));
        String other = JsonErrors.plain("Cannot deserialize value of type `java.math.BigDecimal` from String \"x\"");
        assertFalse(other.contains("java."), other);
    }
}
