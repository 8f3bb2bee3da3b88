package org.medsettle.probe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MedsettleUnavailableEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFilingApiWhileItIsNotRegisteredIsUnavailableForAMomentInItsOwnRefusalFormat() throws Exception {
        for (String path : new String[] {"/api", "/api/filings", "/api/filings/42", "/api/assisted-audits?open=true"}) {
            PlaceholderServlet.Answer a = MedsettleUnavailableEndpoint.answerFor(path);
            assertEquals(503, a.status(), path);
            assertTrue(a.retry(), path);
            JsonNode body = JSON.readTree(a.body());
            assertTrue(body.path("error").asText().contains("filing API is not running"), a.body());
            assertEquals("", body.path("field").asText("missing"), "every refusal of the API has its field");
        }
    }

    @Test
    void theLinkWhileItIsNotRegisteredIsUnavailableWithoutTheLinksOwnSenderHeader() throws Exception {
        PlaceholderServlet.Answer a = MedsettleUnavailableEndpoint.answerFor("/link/v1");
        assertEquals(503, a.status());
        assertTrue(a.retry());
        assertFalse(JSON.readTree(a.body()).path("ok").asBoolean(true));
        assertEquals(503, MedsettleUnavailableEndpoint.answerFor("/metrics").status());
    }

    @Test
    void anyOtherPathIsNotFoundAsJsonNotAsAPrefixOfAKnownOne() throws Exception {
        for (String path : new String[] {null, "", "/", "/apix", "/linked", "/metricsx", "/nothing", "/API/filings"}) {
            PlaceholderServlet.Answer a = MedsettleUnavailableEndpoint.answerFor(path);
            assertEquals(404, a.status(), String.valueOf(path));
            assertFalse(a.retry(), String.valueOf(path));
            assertTrue(JSON.readTree(a.body()).path("error").asText().startsWith("no such path"), a.body());
        }
    }
}
